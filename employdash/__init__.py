"""Domain package: no streamlit import here."""

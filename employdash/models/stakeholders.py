"""Placeholder: filled by the stakeholders work."""

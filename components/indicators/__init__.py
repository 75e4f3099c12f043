"""UI of the indicators explorer and imports."""

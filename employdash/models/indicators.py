"""Placeholder: filled by the indicators work."""

"""Placeholder: filled by the mentoring work."""

"""Placeholder: filled by the forum work."""

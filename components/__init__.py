"""Reusable UI pieces. Pages use these and the domain services; never SQL."""

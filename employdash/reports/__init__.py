"""Documents: the briefing PDF and meeting minutes (PDF and Word)."""

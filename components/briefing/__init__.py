"""UI of the leadership briefing."""

"""The leadership briefing: one screen of numbers, sentences and attention items, and its A4 PDF.
It reads the other areas only through their service functions."""

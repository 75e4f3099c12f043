"""Cached read models of the portfolio page (per actor and day; the services authorize)."""

from __future__ import annotations

from components.common.cache import read_model
from employdash.access import Area
from employdash.portfolio import board, history, notes

cached_portfolio = read_model(Area.PORTFOLIO, max_entries=64)(board.portfolio)
cached_definitions = read_model(Area.PORTFOLIO, max_entries=16)(board.definitions)
cached_stages = read_model(Area.PORTFOLIO, max_entries=64)(history.stage_history)
cached_attendance = read_model(Area.PORTFOLIO, max_entries=64)(history.attendance_history)
cached_notes = read_model(Area.PROGRAMME_NOTES, max_entries=256)(notes.notes)

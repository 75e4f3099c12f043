"""Mentoring pipelines: programs, cohorts, participants moving through dated stage events, matches,
outcomes, the as-of funnel engine, and the same engine for staff certification cohorts."""

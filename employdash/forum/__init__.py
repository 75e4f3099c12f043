"""The employment forum: structure (teams, members, focuses, metrics), stages and milestones, the
work plan and tasks, meetings and their minutes, quarterly plan-vs-actual and forum health."""

"""UI of the forum tracker: board, work plan, tasks and the live meeting form."""

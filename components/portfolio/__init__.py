"""The programme's portfolio page: every locality side by side, its comparisons and notes."""

"""UI pieces every area uses: chart helpers, KPI cards, downloads."""

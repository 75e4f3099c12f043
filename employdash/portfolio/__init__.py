"""The programme's view across localities: the portfolio table, its comparison charts and
exports, and the programme staff's notes on a locality."""

"""The administrator's set-up pieces that are no product area: the localities served."""

"""Residents' ideas for the neighbourhood: submitted on the kiosk, public after staff approve."""

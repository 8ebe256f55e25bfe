"""The herb bed: sensor lines, the serial bridge, calibration, alerts, history, notifications."""

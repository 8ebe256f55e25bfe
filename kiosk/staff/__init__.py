"""Staff accounts of the web console: passwords, lock-outs, sessions, and who changed what."""

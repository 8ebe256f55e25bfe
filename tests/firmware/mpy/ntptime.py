host = "pool.ntp.org"
timeout = 1


def settime():
    raise OSError(110)

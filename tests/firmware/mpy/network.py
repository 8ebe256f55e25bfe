STA_IF = 0
CONNECTED = [True]


class WLAN:
    def __init__(self, interface=0):
        self._active = False

    def active(self, value=None):
        if value is None:
            return self._active
        self._active = value

    def connect(self, ssid, password=None):
        pass

    def isconnected(self):
        return self._active and CONNECTED[0]

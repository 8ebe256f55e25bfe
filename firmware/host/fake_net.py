"""Host stand-ins for the ESP32's `network`, `ntptime` and `umqtt.simple`."""
import types


class Net:
    """Simulated Wi-Fi, broker and NTP server sharing a fake_machine.Clock.

    wifi_after_ms: ms from WLAN.connect() until isconnected() (None = never);
    broker_up: whether MQTTClient.connect() succeeds; ntp_utc_s: what NTP sets the clock to
    (None = no answer). Published messages land in `published` as (topic, payload, qos, retain).
    """

    def __init__(self, clock, wifi_after_ms=300, broker_up=True, ntp_utc_s=None):
        self.clock = clock
        self.wifi_after_ms = wifi_after_ms
        self.broker_up = broker_up
        self.ntp_utc_s = ntp_utc_s
        self.published = []
        self.connects = []
        self.modules = self._build()

    def _build(self):
        net = self
        network = types.ModuleType("network")
        network.STA_IF, network.AP_IF = 0, 1

        class WLAN:
            def __init__(self, interface=0):
                self._active = False
                self._since = None

            def active(self, value=None):
                if value is None:
                    return self._active
                self._active = bool(value)
                if not value:
                    self._since = None

            def connect(self, ssid, password=None):
                self._since = net.clock.ticks_ms()

            def isconnected(self):
                return (self._active and self._since is not None and net.wifi_after_ms is not None
                        and net.clock.ticks_ms() - self._since >= net.wifi_after_ms)

            def disconnect(self):
                self._since = None

        network.WLAN = WLAN

        ntptime = types.ModuleType("ntptime")
        ntptime.host, ntptime.timeout = "pool.ntp.org", 1

        def settime():
            if net.ntp_utc_s is None:
                net.clock.sleep_ms(ntptime.timeout * 1000)
                raise OSError(110, "ETIMEDOUT")
            net.clock.utc_s = net.ntp_utc_s - net.clock.ticks_ms() // 1000

        ntptime.settime = settime

        simple = types.ModuleType("umqtt.simple")

        class MQTTClient:
            def __init__(self, client_id, server, port=0, user=None, password=None,
                         keepalive=0, ssl=None):
                self.args = (client_id, server, port, user, password)
                self.connected = False

            def connect(self, clean_session=True, timeout=None):
                net.connects.append((self.args, timeout))
                if not net.broker_up:
                    net.clock.sleep_ms((timeout or 1) * 1000)
                    raise OSError(113, "EHOSTUNREACH")
                self.connected = True

            def publish(self, topic, msg, retain=False, qos=0):
                if not self.connected:
                    raise OSError(128, "ENOTCONN")
                net.published.append((topic, msg, qos, retain))

            def disconnect(self):
                self.connected = False

        simple.MQTTClient = MQTTClient
        umqtt = types.ModuleType("umqtt")
        umqtt.simple = simple
        return {"network": network, "ntptime": ntptime, "umqtt": umqtt, "umqtt.simple": simple}

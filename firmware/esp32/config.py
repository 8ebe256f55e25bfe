# ESP32 battery node settings. Edit on the board with `mpremote edit :config.py`.
NODE = "bed-2"              # must match [[garden.sensors]] node in station.toml
INTERVAL_MS = 600000        # deep-sleep time between readings; ten minutes spares the battery
POWER_PIN = 25              # GPIO25 feeds the sensor's VCC
ADC_PIN = 34                # must be an ADC1 pin (32..39): ADC2 is unusable while Wi-Fi is on
SAMPLES = 9
SETTLE_MS = 500

WIFI_SSID = "Batenbrock-Sensor"
WIFI_PASSWORD = ""
WIFI_TIMEOUT_MS = 6000      # give up and sleep rather than drain the battery

MQTT_HOST = "192.168.1.10"  # the station Pi
MQTT_PORT = 1883
MQTT_USER = None
MQTT_PASSWORD = None
MQTT_TIMEOUT_S = 4          # socket timeout for connect and PUBACK
TOPIC_PREFIX = "batenbrock"  # [mqtt] topic_prefix in station.toml
STATION = "batenbrock-1"    # [station] id in station.toml

NTP_HOST = "pool.ntp.org"   # or the station Pi if it serves NTP
NTP_EVERY = 144             # resync the RTC every this many wakes (it drifts in deep sleep)
MAX_PENDING = 6             # unsent readings kept in RTC memory for the next wake
WDT_MS = 30000              # whole wake cycle budget; a hung socket ends in a reset, not a flat battery

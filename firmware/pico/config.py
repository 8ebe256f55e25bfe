# Pico (USB serial) node settings. Edit on the board with `mpremote edit :config.py`.
NODE = "bed-1"          # must match [[garden.sensors]] node in station.toml
INTERVAL_MS = 60000     # one reading a minute
POWER_PIN = 22          # GP22 feeds the sensor's VCC so it can be switched off
ADC_PIN = 26            # GP26 = ADC0, sensor AOUT
TEMP_CHANNEL = 4        # RP2040 internal temperature sensor
SAMPLES = 9             # odd, so the median is a real sample
SETTLE_MS = 500         # the sensor's output RC needs a few hundred ms after power-up
WDT_MS = 8000           # RP2040 maximum is 8388 ms; 0 disables the watchdog
SLEEP_CHUNK_MS = 1000   # sleep in chunks this long and feed the watchdog between them

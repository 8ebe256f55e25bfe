"""Sensor-node firmware (MicroPython) plus a host runner in `firmware.host`.

Only `common/`, `pico/` and `esp32/` are copied onto boards; this package file exists so the
host side (`firmware.host`) is importable by `kiosk demo` and the tests.
"""

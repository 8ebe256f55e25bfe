"""MQTT: the only place in the station that imports paho, plus every topic name.

The names below are loaded when first used, so a module that only reads message fields
(kiosk.bus.fields, e.g. through a domain's messages) does not load paho: `kiosk admin report`
starts a tenth of a second sooner on a Pi.
"""

import importlib

_EXPORTS = {"Bus": "client", "Command": "client", "Message": "client", "Topics": "topics"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kiosk.bus' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"kiosk.bus.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value

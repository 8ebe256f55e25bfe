"""MQTT: the only place in the station that imports paho, plus every topic name."""

from kiosk.bus.client import Bus, Command, Message
from kiosk.bus.topics import Topics

__all__ = ["Bus", "Command", "Message", "Topics"]

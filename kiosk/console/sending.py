"""Sending a domain's staff command from a console page, and its outcome in the domain's words.

The booth and the garden build the commands (kiosk/booth/staff_commands.py,
kiosk/garden/staff_commands.py) and word their outcomes (kiosk/staff_requests.py);
the console sends them over its own MQTT v5 connection (kiosk/console/operations.py),
as the kiosk's staff screen does, and shows the words in German from the station's catalog.
"""

from __future__ import annotations

from flask import current_app

from kiosk.console.i18n import domain_text as words
from kiosk.staff_requests import Outcome, StaffRequest


def send(command: StaffRequest) -> Outcome:
    """Send `command`, wait for the reply, and say what became of it."""
    return current_app.extensions["operations"].send(command)


__all__ = ["send", "words"]

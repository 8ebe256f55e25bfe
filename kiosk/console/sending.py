"""Sending a domain's staff command from a console page, and its outcome in the domain's words.

The booth and the garden build the commands (kiosk/booth/staff_commands.py,
kiosk/garden/staff_commands.py) and word their outcomes (kiosk/staff_requests.py);
the console only sends them over its own MQTT v5 connection, as the kiosk's staff
screen does, and shows the words in German from the station's catalog.
"""

from __future__ import annotations

import logging

from flask import current_app

from kiosk.errors import BusError
from kiosk.staff_requests import Outcome, StaffRequest
from kiosk.translation import load_catalog

log = logging.getLogger(__name__)

REPLY_TIMEOUT_S = 5.0
LANGUAGE = "de"


def send(command: StaffRequest) -> Outcome:
    """Send `command`, wait for the reply, and say what became of it."""
    bus = current_app.extensions["operations"].bus
    if bus is None:
        outcome = command.outcome(None, "the console has no bus connection")
    else:
        try:
            reply = bus.request(command.service, command.name, command.payload, timeout=REPLY_TIMEOUT_S)
        except BusError as exc:
            outcome = command.outcome(None, str(exc))
        else:
            outcome = command.outcome(reply)
    if not outcome.ok:
        log.warning("%s %s: %s", command.service, command.name, outcome.detail)
    return outcome


def words(outcome: Outcome) -> str:
    return outcome.text(load_catalog(LANGUAGE).gettext)

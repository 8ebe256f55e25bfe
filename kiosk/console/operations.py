"""The one place where the console calls the station's domain operations.

The Kivy staff screen, `kiosk admin` and the console share these operations; while they
move into the domain modules (kiosk/ideas, booth, garden), only this file follows them.
Each function returns plain data, or for a staff command the domain's Outcome, worded by the
domain as the Kivy staff screen shows it (kiosk/staff_requests.py); the page shows its text.
"""

from __future__ import annotations

import logging

from kiosk.errors import KioskError
from kiosk.garden import staff_commands as garden_commands
from kiosk.ideas import moderation
from kiosk.ideas.store import Idea, IdeaStore
from kiosk.staff_requests import Outcome, StaffRequest

COMMAND_TIMEOUT_S = 5.0       # as long as the kiosk's staff screen waits
MODERATIONS = ("approve", "reject")

log = logging.getLogger(__name__)


class Operations:
    """Staff operations bound to this station's bus and idea store."""

    def __init__(self, bus, ideas: IdeaStore):
        self.bus = bus
        self.ideas = ideas

    def acknowledge_alert(self, node: str) -> Outcome:
        """Tell the garden staff saw `node`'s alert (the kiosk staff screen's MQTT v5 `ack`)."""
        return self.send(garden_commands.acknowledge(node))

    def send(self, command: StaffRequest) -> Outcome:
        """Send a staff command as the kiosk's staff screen does (kiosk.ui.live.Live.request) and read its reply."""
        if self.bus is None:
            outcome = command.outcome(None, "the console has no connection to the bus")
        else:
            try:
                reply = self.bus.request(command.service, command.name, command.payload, timeout=COMMAND_TIMEOUT_S)
            except KioskError as exc:
                outcome = command.outcome(None, str(exc) or "failed")
            else:
                outcome = command.outcome(reply)
        if not outcome.ok:
            log.warning("%s %s: %s", command.service, command.name, outcome.detail)
        return outcome

    def waiting_ideas(self) -> list[Idea]:
        return self.ideas.pending()

    def moderate_idea(self, idea_id: int, action: str) -> Idea:
        """Approve (show on the public wall) or reject an idea; raises NotFoundError, ModerationError."""
        if action not in MODERATIONS:
            raise KioskError(f"unknown action {action!r}")
        return moderation.approve(self.ideas, idea_id) if action == "approve" else moderation.reject(self.ideas, idea_id)

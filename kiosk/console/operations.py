"""The one place where the console calls the station's domain operations.

The Kivy staff screen, `kiosk admin` and the console share these operations; while they
move into the domain modules (kiosk/ideas, booth, garden), only this file follows them.
Each function returns plain data or raises a KioskError whose text the page shows.
"""

from __future__ import annotations

from kiosk.errors import BusError, KioskError
from kiosk.garden import staff_commands as garden_commands
from kiosk.ideas import moderation
from kiosk.ideas.store import Idea, IdeaStore

ACK_TIMEOUT_S = 5.0
MODERATIONS = ("approve", "reject")


class Operations:
    """Staff operations bound to this station's bus and idea store."""

    def __init__(self, bus, ideas: IdeaStore):
        self.bus = bus
        self.ideas = ideas

    def acknowledge_alert(self, node: str) -> dict:
        """Tell the garden staff saw `node`'s alert (the kiosk staff screen's MQTT v5 `ack`)."""
        if self.bus is None:
            raise BusError("the console has no connection to the garden")
        command = garden_commands.acknowledge(node)
        reply = self.bus.request(command.service, command.name, command.payload, timeout=ACK_TIMEOUT_S)
        outcome = command.outcome(reply)
        if not outcome.ok:
            raise KioskError(outcome.detail)
        return reply

    def waiting_ideas(self) -> list[Idea]:
        return self.ideas.pending()

    def moderate_idea(self, idea_id: int, action: str) -> Idea:
        """Approve (show on the public wall) or reject an idea; raises NotFoundError, ModerationError."""
        if action not in MODERATIONS:
            raise KioskError(f"unknown action {action!r}")
        return moderation.approve(self.ideas, idea_id) if action == "approve" else moderation.reject(self.ideas, idea_id)

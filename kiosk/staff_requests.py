"""A staff command to another service, as plain data: what to send, and what its reply means.

The booth and the garden build these (kiosk/booth/staff_commands.py,
kiosk/garden/staff_commands.py); a face sends `service`, `name` and `payload` as an
MQTT v5 request over its own bus connection and hands the reply (or the error) to
`outcome()`, then shows `Outcome.text(translate)`. So the words for "done", "does
not answer" and "refused" are chosen once, by the domain, for every face.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from kiosk.translation import N_

DONE = N_("Done.")


@dataclass(frozen=True)
class Outcome:
    """What became of a staff command, in words a person reads.

    `message` is an English message id with {placeholders} filled from `values`;
    `detail` is the service's own (technical) reason, for logs, never for the screen;
    `reply` what the service answered to a success (a new book's number, a ticket).
    """

    ok: bool
    message: str
    values: dict = field(default_factory=dict)
    detail: str = ""
    reply: dict = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = lambda message: message) -> str:
        return translate(self.message).format(**self.values)


@dataclass(frozen=True)
class StaffRequest:
    """One command to `service`'s `cmd/name` with `payload`, and the words for its outcomes.

    `silent` is said when no reply came (service stopped, broker away), `refused` when the
    service answered no; `done` reads the reply of a success (default: "Done.").
    """

    service: str
    name: str
    payload: dict
    silent: str
    refused: str
    done: Callable[[dict], Outcome] = lambda reply: Outcome(True, DONE)

    def outcome(self, reply: dict | None, error: str = "") -> Outcome:
        """Interpret what came back: `reply` as received (None without one), `error` as the sender saw it."""
        if reply is None:
            return Outcome(False, self.silent, detail=error or "no reply")
        if error or not reply.get("ok", True):
            return Outcome(False, self.refused, detail=error or str(reply.get("error") or "refused"))
        return replace(self.done(reply), reply=reply)

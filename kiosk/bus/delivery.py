"""End-to-end delivery: a sender keeps a message until its receiver has stored it.

A QoS 1 PUBACK only says the broker has a message, and a broker that crashes
loses what it held in memory (its queues are saved only every few seconds, and
a lost session takes the receiver's subscriptions with it). So an outbox that
must lose nothing stamps each message with a `Ticket` and keeps it until the
receiver confirms it stored it; until then it sends it again after a reconnect,
when the receiver asks, or when the receiver makes no progress for a while.

A ticket names the outbox (`origin`: random, made with the sender's database,
so a fresh database never collides with an old one), the message's row `id` in
the outbox (ids only grow) and `after`: the id of the previous message of the
same chain (a sensor node) the outbox still holds, 0 when there is none. The
receiver keeps a `Ledger` of the highest id it stored per chain and origin:

- id <= stored: a copy it already has; skipped, not stored or alerted twice;
- after <= stored: the next message; taken, and the ledger moves on to its id;
- otherwise an earlier message is missing (it was lost, or copies arrive out of
  order after a reconnect): skipped, and the receiver asks for a resend. The
  sender's resend starts at its oldest unconfirmed message, so the gap fills
  in order.

The receiver confirms retained on a topic per chain, `{"ts", "stored": {origin:
id}, "resend"?: true}`; the sender deletes what is confirmed. A message without
a ticket (an ESP32 node publishing for itself) is taken as it always was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from kiosk.clock import iso_from_epoch
from kiosk.errors import ProtocolError

FIELD = "delivery"                 # the ticket's key in a JSON payload
ORIGIN_PATTERN = re.compile(r"^[0-9a-f]{16}$")
MAX_ID = 2**53                     # exact in every JSON reader, and far inside SQLite's integers
MAX_ORIGINS = 4                    # per chain; an outbox's database is rarely made anew


@dataclass(frozen=True)
class Ticket:
    """Where a message comes from and what precedes it (see the module docstring)."""

    origin: str
    id: int
    after: int


def stamp(payload: bytes, ticket: Ticket) -> bytes:
    """The JSON object `payload` with the ticket added under FIELD."""
    message = json.loads(payload)
    message[FIELD] = {"origin": ticket.origin, "id": ticket.id, "after": ticket.after}
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def ticket_of(message: dict) -> Ticket | None:
    """The ticket of a decoded payload, None when it has none; raises ProtocolError when malformed."""
    field = message.get(FIELD)
    if field is None:
        return None
    if not isinstance(field, dict):
        raise ProtocolError(f"{FIELD} must be an object")
    origin, number, after = field.get("origin"), field.get("id"), field.get("after")
    if not isinstance(origin, str) or not ORIGIN_PATTERN.match(origin):
        raise ProtocolError(f"{FIELD}.origin must be 16 hex digits")
    if not _whole(number) or not 1 <= number <= MAX_ID:
        raise ProtocolError(f"{FIELD}.id must be a whole number from 1 to {MAX_ID}")
    if not _whole(after) or not 0 <= after < number:
        raise ProtocolError(f"{FIELD}.after must be a whole number below id")
    return Ticket(origin, number, after)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- the receiver's side --------------------------------------------------------------

NEW, DUPLICATE, GAP = "new", "duplicate", "gap"


class Ledger:
    """The highest id a receiver has stored per (chain, origin), and what a batch changes.

    `admit` decides about one ticket and moves the ledger on in memory; the caller
    stores `pending()` in the same transaction as the messages, then calls
    `commit()` — or `rollback()` when that transaction failed, so the messages
    are taken again when they come again.
    """

    def __init__(self, stored: dict[tuple[str, str], int]):
        """`stored`: what the receiver's database holds, oldest change first."""
        self._stored = dict(stored)
        self._pending: dict[tuple[str, str], int] = {}

    def admit(self, chain: str, ticket: Ticket) -> str:
        key = (chain, ticket.origin)
        stored = self._pending.get(key, self._stored.get(key, 0))
        if ticket.id <= stored:
            return DUPLICATE
        if ticket.after > stored:
            return GAP
        self._pending[key] = ticket.id
        return NEW

    def pending(self) -> dict[tuple[str, str], int]:
        return dict(self._pending)

    def commit(self) -> None:
        for key, upto in self._pending.items():
            self._stored.pop(key, None)      # re-inserted last: the dict runs oldest change first
            self._stored[key] = upto
        self._pending.clear()
        self._forget_extra_origins()

    def rollback(self) -> None:
        self._pending.clear()

    def stored(self, chain: str) -> dict[str, int]:
        """What is stored of `chain`, per origin (committed only)."""
        return {origin: upto for (c, origin), upto in self._stored.items() if c == chain}

    def chains(self) -> set[str]:
        return {chain for chain, _ in self._stored}

    def _forget_extra_origins(self) -> None:
        # Mirrors the store's bound (only the newest MAX_ORIGINS per chain survive there).
        for chain in self.chains():
            origins = [key for key in self._stored if key[0] == chain]
            for key in origins[:-MAX_ORIGINS]:
                del self._stored[key]


def confirmation(stored: dict[str, int], now: float, resend: bool = False) -> dict[str, Any]:
    """The retained confirmation payload for one chain."""
    payload: dict[str, Any] = {"ts": iso_from_epoch(now), "stored": stored}
    if resend:
        payload["resend"] = True
    return payload


def read_confirmation(payload: Any) -> tuple[dict[str, int], bool]:
    """(stored per origin, resend wanted) of a confirmation; raises ProtocolError when it is not one."""
    if not isinstance(payload, dict) or not isinstance(payload.get("stored"), dict):
        raise ProtocolError("a confirmation needs a 'stored' object")
    stored = {}
    for origin, upto in payload["stored"].items():
        if ORIGIN_PATTERN.match(origin) and _whole(upto) and 0 <= upto <= MAX_ID:
            stored[origin] = upto
    return stored, payload.get("resend") is True

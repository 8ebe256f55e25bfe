"""Delivery tickets and the receiver's ledger: each message taken once, in order, whatever arrives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.bus.delivery import (DUPLICATE, FIELD, GAP, MAX_ID, MAX_ORIGINS, NEW, Ledger, Ticket, confirmation,
                                read_confirmation, stamp, ticket_of)
from kiosk.errors import ProtocolError

ORIGIN = "0123456789abcdef"
OTHER = "fedcba9876543210"


def test_a_stamped_payload_keeps_its_fields_and_gives_its_ticket_back():
    payload = b'{"ts":"2026-05-01T10:00:00Z","node":"bed-1","seq":7,"raw":41230,"t":12.5}'
    stamped = json.loads(stamp(payload, Ticket(ORIGIN, 42, 41)))
    assert {k: v for k, v in stamped.items() if k != FIELD} == json.loads(payload)
    assert ticket_of(stamped) == Ticket(ORIGIN, 42, 41)
    assert ticket_of(json.loads(payload)) is None          # an ESP32's own reading has none


@pytest.mark.parametrize("field", [
    "x", [], {"origin": "0123", "id": 1, "after": 0}, {"origin": ORIGIN.upper(), "id": 1, "after": 0},
    {"origin": ORIGIN, "id": 0, "after": 0}, {"origin": ORIGIN, "id": True, "after": 0},
    {"origin": ORIGIN, "id": 2**70, "after": 0}, {"origin": ORIGIN, "id": 5, "after": 5},
    {"origin": ORIGIN, "id": 5, "after": -1}, {"origin": ORIGIN, "id": 5.0, "after": 1},
    {"origin": ORIGIN, "id": 5},
])
def test_a_malformed_ticket_is_refused(field):
    with pytest.raises(ProtocolError):
        ticket_of({"node": "bed-1", FIELD: field})


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                max_size=4)))
def test_any_ticket_field_gives_a_ticket_or_a_protocol_error(field):
    try:
        ticket = ticket_of({FIELD: field})
    except ProtocolError:
        return
    assert ticket is None if field is None else 0 <= ticket.after < ticket.id <= MAX_ID


def test_the_ledger_takes_the_next_skips_copies_and_waits_at_a_gap():
    ledger = Ledger({})
    assert ledger.admit("bed-1", Ticket(ORIGIN, 5, 0)) == NEW
    assert ledger.admit("bed-1", Ticket(ORIGIN, 9, 5)) == NEW
    assert ledger.admit("bed-1", Ticket(ORIGIN, 5, 0)) == DUPLICATE
    assert ledger.admit("bed-1", Ticket(ORIGIN, 14, 12)) == GAP     # 12 was never seen
    assert ledger.admit("bed-2", Ticket(ORIGIN, 12, 0)) == NEW      # chains are separate
    assert ledger.stored("bed-1") == {}                             # nothing is stored before commit
    assert ledger.pending() == {("bed-1", ORIGIN): 9, ("bed-2", ORIGIN): 12}
    ledger.commit()
    assert ledger.stored("bed-1") == {ORIGIN: 9}
    assert ledger.admit("bed-1", Ticket(ORIGIN, 12, 9)) == NEW
    assert ledger.admit("bed-1", Ticket(ORIGIN, 14, 12)) == NEW


def test_a_rolled_back_batch_is_taken_again():
    ledger = Ledger({("bed-1", ORIGIN): 3})
    assert ledger.admit("bed-1", Ticket(ORIGIN, 4, 3)) == NEW
    ledger.rollback()                                               # its transaction failed
    assert ledger.admit("bed-1", Ticket(ORIGIN, 4, 3)) == NEW
    assert ledger.stored("bed-1") == {ORIGIN: 3}


def test_a_new_outbox_starts_its_own_count():
    ledger = Ledger({("bed-1", ORIGIN): 50_000})
    # bridge.sqlite made anew: ids start at 1 again, under a new origin.
    assert ledger.admit("bed-1", Ticket(OTHER, 1, 0)) == NEW
    ledger.commit()
    assert ledger.stored("bed-1") == {ORIGIN: 50_000, OTHER: 1}


def test_only_the_newest_origins_of_a_chain_are_kept():
    origins = [f"{i:016x}" for i in range(MAX_ORIGINS + 2)]
    ledger = Ledger({})
    for origin in origins:
        ledger.admit("bed-1", Ticket(origin, 1, 0))
        ledger.commit()
    assert set(ledger.stored("bed-1")) == set(origins[-MAX_ORIGINS:])


def test_a_confirmation_reads_back_and_ignores_nonsense():
    payload = json.loads(json.dumps(confirmation({ORIGIN: 12}, 1_800_000_000, resend=True)))
    assert read_confirmation(payload) == ({ORIGIN: 12}, True)
    assert read_confirmation({"stored": {ORIGIN: 3, "x": 4, OTHER: -1}}) == ({ORIGIN: 3}, False)
    for bad in ([], {"stored": []}, "online"):
        with pytest.raises(ProtocolError):
            read_confirmation(bad)

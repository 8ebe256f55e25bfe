"""The booth on a really full disk: a small tmpfs as its data folder, filled to the last byte
and freed again. Nothing may be confirmed that was not stored, the booth stays up, staff see
the `disk` fault, and it all comes back by itself when there is room again."""

from __future__ import annotations

import time

from kiosk.booth.service import DISK_FAULT, NOT_SAVED
from kiosk.booth.store import BoothStore
from kiosk.bus import Bus
from tests.booth.conftest import ANNA, BOOK1, BOOK2, BOOTH, EVENTS

FAULTS = "batenbrock/test-1/booth/faults"


def test_a_full_disk_refuses_taps_visibly_keeps_the_booth_up_and_heals(small_disk, make_config, broker,
                                                                          run_booth, watch):
    config = make_config(broker.port, data_dir=small_disk.path,
                         extra=BOOTH.format(max_loans=3, session_s=30))
    with BoothStore.open(config) as store:
        store.add_card(ANNA)
        store.add_book(BOOK1, "Die kleine Raupe Nimmersatt")
        store.add_book(BOOK2, "Das Sams")
    events = watch(config, EVENTS)
    booth = run_booth(config)
    red = booth.pins["led_red"]
    assert booth.tap(ANNA)[0]["type"] == "session_start"

    small_disk.fill()
    # A tap that cannot be stored: red light and a `denied` event, no loan, nothing confirmed.
    red.clear_states()
    confirmed = len(booth.confirmed)
    booth.field.present(BOOK1)
    refused = events.wait_for(EVENTS, lambda p: p["type"] == "denied")
    assert refused["reason"] == NOT_SAVED
    booth.take_away(BOOK1)
    assert any(state.state for state in red.states), "the red LED must light up"
    assert len(booth.confirmed) == confirmed and booth.store.open_loans() == []
    faults = watch(config, FAULTS)
    fault = faults.wait_for(FAULTS, lambda p: DISK_FAULT in p["faults"])["faults"][DISK_FAULT]
    assert "Speicherkarte voll" in fault["message"]

    # The session times out while the disk is full (this ended the booth before); staff
    # commands are still answered by the booth's loop, after it met the time-out.
    booth.clock.advance(31)
    staff = Bus(config, "staff-ui", announce=False).start()
    assert staff.wait_connected(10)
    refused = staff.request("booth", "title", {"book": 1, "title": "Raupe"})
    assert refused["ok"] is False and "full" in refused["error"]
    assert staff.request("booth", "register", {"mode": "off"}) == {"ok": True, "mode": "off"}
    assert booth.thread.is_alive(), "the booth's loop died on the full disk"
    assert booth.booth.outbox._thread.is_alive(), "the outbox sender died on the full disk"
    assert [p["type"] for p in events.payloads(EVENTS)][-1] == "denied"     # nothing else got out

    small_disk.free()
    # What the disk held back is stored and sent in order, and the fault clears, by itself.
    events.wait_for(EVENTS, lambda p: p["type"] == "register", timeout=30)
    held = [p for p in events.payloads(EVENTS) if p["type"] in ("session_end", "register")]
    assert [(p["type"], p["card"], p.get("reason")) for p in held] == \
        [("session_end", "Lesefuchs 1", "timeout"), ("register", None, None)]
    faults.wait_for(FAULTS, lambda p: p["faults"] == {}, timeout=30)
    assert staff.request("booth", "title", {"book": 1, "title": "Raupe"})["ok"] is True
    staff.stop()
    assert booth.tap(ANNA)[0]["type"] == "session_start"
    checkout = booth.tap(BOOK1)[0]
    assert (checkout["type"], checkout["book"]) == ("checkout", {"id": 1, "title": "Raupe"})
    assert [(r["book_id"], r["card"]) for r in booth.store.open_loans()] == [(1, "Lesefuchs 1")]
    deadline = time.monotonic() + 10
    while booth.booth.outbox.pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert booth.booth.outbox.pending() == 0, "acknowledged events stay in the outbox"

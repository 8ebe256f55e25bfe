"""The garden's messages: the exact JSON on the wire, and what is refused (any payload: tests/test_messages.py)."""

from __future__ import annotations

import pytest

from kiosk.errors import BadMessage, ProtocolError
from kiosk.garden.messages import BedAlert, BedState, History, HistoryPoint, Notice

TS = "2026-11-25T09:00:00.000Z"


def test_the_wire_keys_stay_what_firmware_home_assistant_and_the_kiosk_read():
    """DESIGN.md's MQTT table; Home Assistant's discovery reads `moisture` and `active`. A rename here breaks them."""
    assert BedState(TS, 21.5, "dry").to_payload() == {"ts": TS, "moisture": 21.5, "status": "dry"}
    assert BedState(TS, None, "stale").to_payload() == {"ts": TS, "moisture": None, "status": "stale"}
    assert BedAlert(True, "dry", TS, 21.5).to_payload() == {"active": True, "kind": "dry", "since": TS,
                                                            "moisture": 21.5, "acknowledged": False}
    series = History("bed-1", "24h", 900, (HistoryPoint(TS, 20, 21.5, 23, 4),))
    assert series.to_payload() == {"node": "bed-1", "span": "24h", "bucket_s": 900,
                                   "points": [{"ts": TS, "min": 20, "avg": 21.5, "max": 23, "n": 4}]}
    # The columns of garden.sqlite's notices table; `id` once stored.
    assert Notice("bed-1", "Kräuterbeet", "dry", "raised", 21.5, TS).to_payload() == {
        "node": "bed-1", "name": "Kräuterbeet", "kind": "dry", "event": "raised", "moisture": 21.5, "since": TS}
    assert Notice("bed-1", "Kräuterbeet", "dry", "cleared", 40, TS, id=7).to_payload()["id"] == 7


def test_an_alert_kept_from_before_acknowledging_existed_reads_as_not_seen():
    old = {"active": True, "kind": "stale", "since": TS, "moisture": None}
    assert BedAlert.from_payload(old) == BedAlert(True, "stale", TS, None, acknowledged=False)


@pytest.mark.parametrize("cls, payload, says", [
    (BedState, {"ts": TS, "moisture": 21.5}, "'status' is missing"),
    (BedState, {"ts": TS, "moisture": 21.5, "status": "wet"}, "'status' must be one of"),
    (BedState, {"ts": TS, "moisture": "21", "status": "ok"}, "'moisture' must be a number"),
    (BedState, {"ts": "yesterday", "moisture": 1, "status": "ok"}, "'ts' must be an ISO 8601 time"),
    (BedAlert, {"active": 1, "kind": "dry", "since": TS, "moisture": None}, "'active' must be true or false"),
    (BedAlert, {"active": False, "kind": "ok", "since": TS, "moisture": None}, "'kind' must be one of dry, fault, stale"),
    (History, {"node": "bed-1", "span": "1y", "bucket_s": 900, "points": []}, "'span' must be one of"),
    (History, {"node": "bed-1", "span": "24h", "bucket_s": 900, "points": [{"ts": TS}]}, "'min' is missing"),
    (History, [], "bed history is not a JSON object"),
    (Notice, {"node": "bed-1", "name": "Beet", "kind": "dry", "event": "sent", "moisture": None, "since": TS},
     "'event' must be one of"),
])
def test_a_malformed_payload_is_refused_with_one_clear_error(cls, payload, says):
    with pytest.raises(BadMessage, match=says) as caught:
        cls.from_payload(payload)
    assert isinstance(caught.value, ProtocolError)      # what every receiver already logs and skips

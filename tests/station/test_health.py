"""The station's health message: the exact JSON DESIGN.md names, and what is refused (any payload: tests/test_messages.py)."""

from __future__ import annotations

import pytest

from kiosk.errors import BadMessage
from kiosk.station.health import Health

TS = "2026-11-25T09:00:00.000Z"


def test_the_wire_keys_stay_what_design_md_names():
    full = Health(TS, {"garden": "online", "booth": "offline"}, disk_free_mb=812, mem_available_mb=301.5,
                  uptime_s=86400, cpu_temp_c=48.3, throttled=0x50005, last_backup=TS)
    assert full.to_payload() == {"ts": TS, "services": {"garden": "online", "booth": "offline"}, "disk_free_mb": 812,
                                 "mem_available_mb": 301.5, "cpu_temp_c": 48.3, "throttled": 0x50005,
                                 "last_backup": TS, "uptime_s": 86400}
    # Where the machine cannot tell (not a Pi, no backup yet), the optional keys are left out.
    assert Health(TS, {}, 812, 301.5, 60).to_payload() == {"ts": TS, "services": {}, "disk_free_mb": 812,
                                                            "mem_available_mb": 301.5, "uptime_s": 60}
    assert full.under_voltage and full.throttling
    assert not Health(TS, throttled=0x50000).under_voltage      # only since boot, not now


@pytest.mark.parametrize("payload, says", [
    ({"ts": TS, "services": {"garden": "up"}, "disk_free_mb": 1, "mem_available_mb": 1, "uptime_s": 1},
     "'garden' must be one of offline, online"),
    ({"ts": TS, "services": {}, "disk_free_mb": -1, "mem_available_mb": 1, "uptime_s": 1},
     "'disk_free_mb' must be a number of at least 0"),
    ({"ts": TS, "services": {}, "disk_free_mb": 1, "mem_available_mb": 1}, "'uptime_s' is missing"),
    ({"ts": TS, "services": {}, "disk_free_mb": 1, "mem_available_mb": 1, "uptime_s": 1, "throttled": "0x5"},
     "'throttled' must be a whole number"),
])
def test_a_malformed_payload_is_refused_with_one_clear_error(payload, says):
    with pytest.raises(BadMessage, match=says):
        Health.from_payload(payload)


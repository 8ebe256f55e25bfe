"""A service's faults reach staff as one retained message, on a real Mosquitto."""

from __future__ import annotations

import pytest

from kiosk.bus import Bus
from kiosk.bus.faults import Fault, FaultReport
from kiosk.errors import BadMessage

TOPIC = "batenbrock/test-1/garden/faults"


def test_a_fault_is_retained_until_cleared_and_keeps_its_start(broker, make_config, watch):
    config = make_config(broker.port)
    clock = iter(range(1_800_000_000, 1_800_001_000, 10)).__next__
    with Bus(config, "garden") as bus:
        bus.faults._clock = clock
        assert bus.wait_connected(10)
        watcher = watch(config, TOPIC)
        assert watcher.wait_for(TOPIC)["faults"] == {}            # a service starts well

        bus.faults.raise_fault("notify", "E-Mails gehen nicht raus.")
        first = watcher.wait_for(TOPIC, lambda p: "notify" in p["faults"])
        bus.faults.raise_fault("notify", "E-Mails gehen nicht raus.")      # the next failed try
        bus.faults.raise_fault("disk", "Die Speicherkarte ist voll.")
        both = watcher.wait_for(TOPIC, lambda p: len(p["faults"]) == 2)
        assert both["faults"]["notify"]["since"] == first["faults"]["notify"]["since"]

        late = watch(config, TOPIC)                                # staff screen started later
        assert set(FaultReport.from_payload(late.wait_for(TOPIC)).faults) == {"notify", "disk"}

        bus.faults.clear("notify")
        assert watcher.wait_for(TOPIC, lambda p: list(p["faults"]) == ["disk"])
    # one message per change: the repeated report sent nothing
    changes = watcher.payloads(TOPIC)
    assert [sorted(p["faults"]) for p in changes] == [[], ["notify"], ["disk", "notify"], ["disk"]]


def test_a_restarted_service_replaces_the_faults_of_its_last_run(broker, make_config, watch):
    config = make_config(broker.port)
    with Bus(config, "booth") as bus:
        assert bus.wait_connected(10)
        bus.faults.raise_fault("disk", "Die Speicherkarte ist voll.")
    with Bus(config, "booth") as bus:
        assert bus.wait_connected(10)
        watcher = watch(config, "batenbrock/test-1/booth/faults")
        assert watcher.wait_for("batenbrock/test-1/booth/faults", lambda p: p["faults"] == {})


def test_the_wire_keys_stay_what_the_staff_screen_and_doctor_read():
    ts = "2026-11-25T09:00:00.000Z"
    report = FaultReport(ts, {"disk": Fault("disk", ts, "Die Speicherkarte ist voll.")})
    assert report.to_payload() == {"ts": ts, "faults": {"disk": {"since": ts, "message": "Die Speicherkarte ist voll."}}}
    with pytest.raises(BadMessage, match="'message' is missing"):
        FaultReport.from_payload({"ts": ts, "faults": {"disk": {"since": ts}}})

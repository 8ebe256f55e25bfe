"""The alert state machine and calibration, without anything running."""

from __future__ import annotations

from kiosk.garden import alerts
from kiosk.garden.alerts import NodeState, Thresholds
from kiosk.garden.calibration import Calibration

LIMITS = Thresholds(dry_below=30, ok_above=38, confirm_readings=3, stale_after_s=600)
CAL = Calibration(raw_dry=52000, raw_wet=21000)


def feed(state, values, start=1000.0):
    changes = []
    for i, moisture in enumerate(values):
        change = alerts.on_reading(state, LIMITS, moisture, 0, start + 60 * i)
        if change:
            changes.append((change.old, change.new))
    return changes


def test_calibration_maps_dry_and_wet_points_and_clamps():
    assert CAL.moisture(52000) == 0.0
    assert CAL.moisture(21000) == 100.0
    assert CAL.moisture(36500) == 50.0
    assert CAL.moisture(53000) == 0.0          # a little drier than the dry point: clamped
    assert CAL.moisture(20000) == 100.0


def test_raw_far_outside_the_calibrated_range_is_a_fault_not_dry():
    assert CAL.moisture(65535) is None         # open input
    assert CAL.moisture(0) is None             # shorted
    assert CAL.moisture(62000) is None         # 32 % of the span beyond dry
    state = NodeState("bed-1")
    changes = [alerts.on_reading(state, LIMITS, CAL.moisture(65535), 65535, t) for t in (1, 2, 3)]
    assert [c.new for c in changes if c] == ["fault"]
    assert state.status == "fault"


def test_a_single_noisy_reading_neither_raises_nor_clears():
    state = NodeState("bed-1")
    assert feed(state, [50, 10, 50, 10, 10, 50]) == []
    assert feed(state, [10, 10, 10]) == [("ok", "dry")]
    assert feed(state, [60, 20, 60, 60, 35, 60]) == []      # 35 sits in the hysteresis band
    assert feed(state, [60, 60, 60]) == [("dry", "ok")]


def test_values_between_the_thresholds_keep_the_status():
    state = NodeState("bed-1")
    feed(state, [10, 10, 10])
    assert feed(state, [33, 35, 37, 38, 36, 31] * 5) == []
    assert state.status == "dry"


def test_silence_goes_stale_and_the_first_reading_restores_the_status_before():
    state = NodeState("bed-1", watching_since=0)
    feed(state, [10, 10, 10], start=0)
    assert alerts.on_tick(state, LIMITS, 120 + 599) is None
    change = alerts.on_tick(state, LIMITS, 120 + 601)
    assert (change.old, change.new) == ("dry", "stale")
    assert alerts.on_tick(state, LIMITS, 5000) is None         # no repeated raise
    change = alerts.on_reading(state, LIMITS, 12, 0, 5001)
    assert (change.old, change.new) == ("stale", "dry")


def test_stale_counts_from_the_last_reading_not_from_when_the_silence_was_noticed():
    state = NodeState("bed-1", watching_since=0)
    feed(state, [50], start=100)
    assert alerts.on_tick(state, LIMITS, 100 + 600).new == "stale"
    assert state.since == 100


def test_a_time_ahead_of_the_station_clock_does_not_hold_off_the_silence_check():
    # Saved while a node's stamp of 2099 was believed, or the station's clock went back.
    state = NodeState("bed-1", last_seen=4_000_000_000.0)
    assert alerts.on_tick(state, LIMITS, 1000) is None
    assert alerts.on_tick(state, LIMITS, 1000 + 600).new == "stale"


def test_a_node_that_never_reported_goes_stale_after_the_service_started():
    state = NodeState("bed-1", watching_since=100)
    assert alerts.on_tick(state, LIMITS, 650) is None
    assert alerts.on_tick(state, LIMITS, 701).new == "stale"


def test_node_fault_report_is_believed_at_once_and_recovery_needs_confirmation():
    state = NodeState("bed-1")
    assert alerts.on_fault_report(state, 10).new == "fault"
    assert alerts.on_fault_report(state, 11) is None
    assert feed(state, [50, 50]) == []
    assert feed(state, [50]) == [("fault", "ok")]


def test_reminders_only_while_active_unacknowledged_and_after_the_period():
    state = NodeState("bed-1")
    feed(state, [10, 10, 10])
    state.last_notified = 1000
    assert not alerts.reminder_due(state, 3600, 4000)
    assert alerts.reminder_due(state, 3600, 4600)
    assert not alerts.reminder_due(state, 0, 99999)            # 0 = never remind
    state.acknowledged = True
    assert not alerts.reminder_due(state, 3600, 4600)


def test_state_survives_a_round_trip_through_json():
    state = NodeState("bed-1")
    feed(state, [10, 10])
    again = NodeState.from_dict(state.to_dict())
    assert again == state
    assert feed(again, [10]) == [("ok", "dry")]

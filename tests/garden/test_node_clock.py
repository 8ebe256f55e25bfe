"""A node's clock is not the station's: alerts run on the time readings arrive.

kiosk garden runs on a real Mosquitto, driven step by step on a fake clock: each
step takes the readings that came in and ticks, as its worker loop does.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from kiosk.bus import Bus, Message
from kiosk.clock import iso_from_epoch
from kiosk.garden.service import NODE_CLOCK_AHEAD_S, NODE_CLOCK_BEHIND_S, Garden, believable_time
from kiosk.garden.store import GardenStore

from .test_garden_service import WET_RAW, publisher

START = 1_800_000_000.0       # 2027-01-15 08:00 UTC
STALE_AFTER_S = 1800


class ClockedGarden:
    """kiosk garden's logic on the test broker with a clock the test moves."""

    def __init__(self, config, now: float):
        self.now = now
        self.store = GardenStore.open(config)
        self.db = self.store.db
        self.bus = Bus(config, "garden", persistent=True)
        self.garden = Garden(config, self.bus, self.store, clock=lambda: self.now)
        self.garden.attach()
        self.bus.start()
        assert self.bus.wait_connected(10)

    def step(self, readings: int = 0) -> None:
        """Take `readings` messages from the broker, then tick, as one turn of the worker loop."""
        taken = 0
        while taken < readings:
            item = self.garden.inbox.get(timeout=10)
            self.garden.process([item])
            taken += isinstance(item, Message)
        self.garden.tick()

    def notices(self) -> list[dict]:
        return self.store.db.dicts("SELECT kind, event FROM notices ORDER BY id")

    def history_times(self) -> list[str]:
        return [iso_from_epoch(row[0] / 1000) for row in self.store.db.rows("SELECT ts_ms FROM readings ORDER BY seq")]

    def close(self) -> None:
        self.bus.stop()
        self.db.close()


def send(node: Bus, seq: int, ts: str) -> None:
    node.publish(node.topics.garden_reading("bed-1"), {"ts": ts, "node": "bed-1", "seq": seq, "raw": WET_RAW}
                 ).wait_for_publish(5)


def test_a_node_clock_40_minutes_behind_neither_flaps_nor_tells_staff(broker, make_config):
    config = make_config(broker.port, stale_after_s=STALE_AFTER_S)
    station = ClockedGarden(config, START)
    node = publisher(config)
    try:
        for seq in range(6):                       # an ESP32 every 10 minutes, its clock 40 minutes late
            station.now = START + 600 * seq
            send(node, seq, iso_from_epoch(station.now - 2400))
            station.step(readings=1)
            assert station.garden.states["bed-1"].status == "ok"
            station.now += 599                     # silence until the next reading, still in time
            station.step()
        assert station.notices() == []             # no "silent" and "back again" mail and push per reading
        # The history keeps the node's own time: believable, if late.
        assert station.history_times() == [iso_from_epoch(START + 600 * seq - 2400) for seq in range(6)]
    finally:
        node.stop()
        station.close()


def test_a_reading_stamped_2099_neither_keeps_the_bed_alive_nor_lands_in_the_future(broker, make_config, watch):
    config = make_config(broker.port, stale_after_s=STALE_AFTER_S)
    station = ClockedGarden(config, START)
    node = publisher(config)
    watcher = watch(config, "batenbrock/test-1/garden/bed-1/alert")
    try:
        send(node, 0, "2099-06-01T12:00:00Z")
        station.step(readings=1)
        station.now = START + STALE_AFTER_S + 1
        station.step()
        assert station.garden.states["bed-1"].status == "stale"
        assert station.notices() == [{"kind": "stale", "event": "raised"}]
        alert = watcher.wait_for("batenbrock/test-1/garden/bed-1/alert", lambda p: p["active"])
        # Silent since the reading arrived, on the station's clock.
        assert (alert["kind"], alert["since"]) == ("stale", iso_from_epoch(START))
        assert station.history_times() == [iso_from_epoch(START)]        # kept at the time it arrived
    finally:
        node.stop()
        station.close()


def test_a_reading_without_a_believable_time_still_counts_and_is_kept(broker, make_config):
    config = make_config(broker.port, stale_after_s=STALE_AFTER_S)
    station = ClockedGarden(config, START)
    node = publisher(config)
    try:
        stamps = ["2000-01-01T00:00:10Z",                 # an ESP32 before NTP
                  "not a time",
                  iso_from_epoch(START + 60),            # a minute fast: believed
                  iso_from_epoch(START - 6 * 3600)]      # six hours late (kept while the broker was away)
        for seq, ts in enumerate(stamps):
            send(node, seq, ts)
        station.step(readings=len(stamps))
        assert station.history_times() == [iso_from_epoch(START), iso_from_epoch(START),
                                           iso_from_epoch(START + 60), iso_from_epoch(START - 6 * 3600)]
        assert station.garden.states["bed-1"].last_seen == START
    finally:
        node.stop()
        station.close()


def iso_like_texts():
    """Times in every ISO spelling and offset, and text that merely looks like one."""
    moments = st.datetimes(timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=14)),
                                                      timezone(timedelta(hours=-12, minutes=-30))]))
    return st.one_of(moments.map(datetime.isoformat), moments.map(lambda m: m.isoformat().replace("+00:00", "Z")),
                     st.text(alphabet="0123456789-:TZ+.W ", max_size=40), st.text(max_size=40))


@given(ts=iso_like_texts(), received=st.floats(min_value=0, max_value=4_102_444_800))
def test_a_node_time_is_believed_only_near_the_station_clock(ts, received):
    taken = believable_time(ts, received)
    assert taken is None or received - NODE_CLOCK_BEHIND_S <= taken <= received + NODE_CLOCK_AHEAD_S

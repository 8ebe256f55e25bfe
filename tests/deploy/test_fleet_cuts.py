"""The fleet link through a central outage and a silent cut, counted (docs/deploy.md, "A
district-wide fleet", says what holds; these tests hold it to that).

Two stations (batenbrock-1, welheim-1) keep publishing as their services do — QoS 1
readings, retained state, alert and health, booth events — plus a QoS 0 stream, while
(a) the central broker is stopped for OUTAGE_S, and (b) the link turns into a black hole
(a relay that swallows every byte without closing) for SILENT_CUT_S. Counted at the
centre: QoS 1 and QoS 0 sent and arrived, messages that came after newer ones of their
topic, and the retained values a dashboard finds afterwards. The counts are printed
(`pytest -s`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest

from tests.deploy.fleet import District, Recorder

OUTAGE_S = 60           # the central broker stopped
SILENT_CUT_S = 50       # longer than the bridge needs to notice (2 x keepalive_interval 20 s)
PERIOD_S = 0.5          # each station publishes a round this often
LINK_DOWN_WITHIN_S = 60  # the promise: a dead link shows as 0 at the centre within a minute


def make_district(tmp_path, through_relay: bool) -> District:
    district = District(tmp_path, ["batenbrock-1", "welheim-1"])
    try:
        for station_id in ("batenbrock-1", "welheim-1"):
            district.station(station_id, through_relay=through_relay)
    except BaseException:
        district.stop()
        raise
    return district


@pytest.fixture
def direct(tmp_path):
    """Stations that reach the central broker directly: stopped, it refuses connections."""
    district = make_district(tmp_path, through_relay=False)
    yield district
    district.stop()


@pytest.fixture
def relayed(tmp_path):
    """Stations that reach the central broker through the relay."""
    district = make_district(tmp_path, through_relay=True)
    yield district
    district.stop()


@dataclass
class Sent:
    topic: str
    qos: int
    retained: bool
    n: int
    at: float


@dataclass
class Traffic:
    """What the stations' services publish, one round every PERIOD_S, each payload numbered."""

    district: District
    run: str
    sent: list[Sent] = field(default_factory=list)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def start(self) -> "Traffic":
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(30)

    def _loop(self) -> None:
        n = 0
        while not self.stop_event.is_set():
            n += 1
            for station in self.district.stations:
                self._round(station, n)
            self.stop_event.wait(PERIOD_S)

    def _send(self, station, account, topic, qos, retain, n, payload) -> None:
        station.as_(account).publish(topic, {"run": self.run, "n": n, **payload}, qos=qos, retain=retain)
        self.sent.append(Sent(topic, qos, retain, n, time.monotonic()))

    def _round(self, station, n: int) -> None:
        t = station.topics
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self._send(station, "bridge", t.garden_reading("bed-1"), 1, False, n, {"node": "bed-1", "seq": n, "raw": 40000})
        self._send(station, "bridge", t.garden_reading("bed-2"), 0, False, n, {"node": "bed-2", "seq": n, "raw": 41000})
        self._send(station, "garden", t.garden_state("bed-1"), 1, True, n, {"ts": now, "moisture": n % 100, "status": "ok"})
        if n % 4 == 0:
            self._send(station, "booth", t.booth_events(), 1, False, n,
                       {"type": "return" if n % 8 else "checkout", "ts": now, "card": "Lesefuchs 17"})
        if n % 10 == 0:
            self._send(station, "garden", t.garden_alert("bed-1"), 1, True, n,
                       {"active": n % 20 == 0, "kind": "dry", "since": now})
        if n % 5 == 0:
            self._send(station, "console", t.station_health(), 1, True, n, {"ts": now, "services": {"garden": "online"}})


@dataclass
class Count:
    topic: str
    qos: int
    sent: int
    arrived: int            # distinct messages
    lost: list[int]
    duplicates: int
    late: list[int]         # arrived after a newer one of the same topic


def count(traffic: Traffic, recorder: Recorder) -> list[Count]:
    counts = []
    for topic in sorted({s.topic for s in traffic.sent}):
        sent = [s for s in traffic.sent if s.topic == topic]
        arrived = [a.payload["n"] for a in recorder.on(topic)
                   if isinstance(a.payload, dict) and a.payload.get("run") == traffic.run]
        late, newest = [], 0
        for n in arrived:
            if n < newest:
                late.append(n)
            newest = max(newest, n)
        counts.append(Count(topic, sent[0].qos, len(sent), len(set(arrived)),
                            sorted({s.n for s in sent} - set(arrived)), len(arrived) - len(set(arrived)), late))
    return counts


def report(title: str, counts: list[Count], stale: int, link_down_after: float | None) -> None:
    print(f"\n{title}")
    for qos in (1, 0):
        mine = [c for c in counts if c.qos == qos]
        print(f"  QoS {qos}: sent {sum(c.sent for c in mine)}, arrived {sum(c.arrived for c in mine)}, "
              f"lost {sum(len(c.lost) for c in mine)}, late {sum(len(c.late) for c in mine)}, "
              f"duplicates {sum(c.duplicates for c in mine)}")
    for c in counts:
        if c.lost or c.late:
            print(f"    {c.topic} (QoS {c.qos}): lost {c.lost[:8]}{'…' if len(c.lost) > 8 else ''}, late {c.late}")
    print(f"  stale retained values after recovery: {stale}")
    if link_down_after is not None:
        print(f"  link shown as 0 at the centre {link_down_after:.0f} s after the cut")


def wait_until_everything_arrived(traffic: Traffic, recorder: Recorder, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(not c.lost for c in count(traffic, recorder) if c.qos == 1):
            return
        time.sleep(1)


def retained_at_the_centre(district: District, recorder: Recorder, traffic: Traffic) -> int:
    """What a dashboard that connects now finds retained, compared with the newest sent:
    the number of retained topics whose value is not the newest."""
    recorder.stop()          # one connection per account: the dashboard takes its place
    fresh = district.recorder(persistent=False)
    try:
        assert fresh.connected.wait(10)
        time.sleep(3)
        stale = 0
        for topic in {s.topic for s in traffic.sent if s.retained}:
            newest = max(s.n for s in traffic.sent if s.topic == topic)
            found = [a.payload.get("n") for a in fresh.on(topic) if a.retain and isinstance(a.payload, dict)]
            stale += found != [newest]
        return stale
    finally:
        fresh.stop()


def links_up(district: District, recorder: Recorder, timeout: float, since: float = 0.0) -> bool:
    """Every station's link shown as 1 at the centre (after `since`)."""
    return all(recorder.wait_for(s.topics.base + "/fleet/link", lambda a: a.payload == 1 and a.at > since, timeout)
               for s in district.stations)


def begin(district: District, run: str) -> tuple[Recorder, Traffic, float]:
    """A recorder at the centre once every link is up, the stations' traffic running for a
    few seconds, and the moment the cut begins."""
    recorder = district.recorder()
    assert recorder.connected.wait(10) and links_up(district, recorder, 60), district.broker.log()
    traffic = Traffic(district, run).start()
    time.sleep(5)
    return recorder, traffic, time.monotonic()


def link_back(district: District, recorder: Recorder, since: float) -> float:
    """When every station's link showed as 1 again at the centre."""
    assert links_up(district, recorder, 90, since=since), district.stations[0].broker.log()
    return time.monotonic()


def finish(district: District, recorder: Recorder, traffic: Traffic, title: str, cut: float, back: float,
           link_down_after: float | None = None) -> None:
    """Stop the traffic, count, print, and hold the counts to what the guide says: no QoS 1
    lost; what comes after a newer one of its topic was published while the link was down
    or coming back; the retained values at the centre are the newest."""
    time.sleep(5)
    traffic.stop()
    wait_until_everything_arrived(traffic, recorder, 90)
    counts = count(traffic, recorder)
    stale = retained_at_the_centre(district, recorder, traffic)
    report(title, counts, stale, link_down_after)
    while_down = {(s.topic, s.n) for s in traffic.sent if cut <= s.at <= back}
    for c in counts:
        if c.qos == 1:
            assert not c.lost, f"{c.topic}: QoS 1 lost {c.lost}"
            assert all((c.topic, n) in while_down for n in c.late), f"{c.topic}: late {c.late}"
    assert stale == 0


def test_a_central_outage_loses_no_qos1_message(direct):
    district = direct
    recorder, traffic, cut = begin(district, "outage")
    district.broker.stop()
    time.sleep(OUTAGE_S)
    restarted = time.monotonic()
    district.broker.start()
    back = link_back(district, recorder, restarted)
    finish(district, recorder, traffic, f"central broker stopped for {OUTAGE_S} s", cut, back)


def test_a_silent_cut_shows_within_a_minute_and_loses_no_qos1_message(relayed):
    district = relayed
    recorder, traffic, cut = begin(district, "silent")
    district.relay.hole()
    link = district.stations[0].topics.base + "/fleet/link"
    down = recorder.wait_for(link, lambda a: a.payload == 0 and a.at > cut, SILENT_CUT_S + 10)
    time.sleep(max(0.0, SILENT_CUT_S - (time.monotonic() - cut)))
    healed = time.monotonic()
    district.relay.heal()
    back = link_back(district, recorder, healed)
    finish(district, recorder, traffic, f"silent cut for {SILENT_CUT_S} s", cut, back,
           None if down is None else down.at - cut)
    assert down is not None and down.at - cut <= LINK_DOWN_WITHIN_S

"""The console in district mode, in-process: every station on one page, any message from any station taken
without breaking it, and no page that sends anything."""

from __future__ import annotations

import json
import re
import time

from hypothesis import given, settings, strategies as st
from markupsafe import escape

from kiosk.booth.messages import BookRef, MonthCounts, OverdueLoan, Summary
from kiosk.bus import Message, Topics
from kiosk.clock import iso_from_epoch
from kiosk.console.app import create_app
from kiosk.console.district_live import MAX_NODES, MAX_STATIONS, DistrictView
from kiosk.errors import ProtocolError
from kiosk.garden.messages import BedAlert
from kiosk.staff.accounts import StaffAccounts
from kiosk.station.health import Health
from kiosk.usage.messages import UsageSummary
from tests.messages import JSON

from .conftest import PASSWORD, STAFF, console_section
from .test_security import log_in, token

DISTRICT = 'mode = "district"\n'
KINDS = ("health", "link", "alert", "summary", "usage")


def station_messages(topics: Topics, *, loans: int, overdue: int, ideas: int, link: str = "1",
                     alert: bool = True, name: str | None = None, now: float | None = None) -> dict[str, bytes]:
    """The retained messages a station's bridge carries to the centre, as the station's services publish them."""
    now = time.time() if now is None else now
    ts = iso_from_epoch(now)
    late = OverdueLoan(BookRef(3, "Das Sams"), "Lesefuchs 1", iso_from_epoch(now - 86400))
    payloads = {
        topics.station_health(): Health(ts, {"garden": "online", "booth": "online", "ui": "online", "console": "online"},
                                        5120, 300, 3600, name=name).to_payload(),
        topics.fleet_link(): link,
        topics.garden_alert("bed-1"): BedAlert(alert, "dry", iso_from_epoch(now - 5400), 24.0).to_payload(),
        topics.booth_summary(): Summary(ts, loans, (late,) * overdue, MonthCounts(loans, 1, 2, 0)).to_payload(),
        topics.ui_usage(): UsageSummary(ts, ts[:7], 2, {"idea": ideas, "plus_one": 2 * ideas}).to_payload(),
    }
    return {topic: (p if isinstance(p, str) else json.dumps(p)).encode() for topic, p in payloads.items()}


def deliver(view: DistrictView, topic: str, payload: bytes) -> bool:
    try:
        view.receive(Message(topic, payload))
    except ProtocolError:
        return False
    return True


def topic_of(topics: Topics, kind: str) -> str:
    return {"health": topics.station_health(), "link": topics.fleet_link(), "alert": topics.garden_alert("bed-1"),
            "summary": topics.booth_summary(), "usage": topics.ui_usage()}[kind]


def district_app(make_config):
    config = make_config(extra=console_section(8443) + DISTRICT)
    accounts = StaffAccounts.open(config)
    if not accounts.exists(STAFF):
        accounts.add(STAFF, PASSWORD, by="test")
    view = DistrictView()
    app = create_app(config, accounts, view, None, tls=False)
    app.config["TESTING"] = True
    return app, view, accounts


def test_every_station_with_its_figures_on_one_page(make_config):
    app, view, accounts = district_app(make_config)
    for topic, payload in station_messages(Topics("batenbrock", "batenbrock-1"), loans=7, overdue=2, ideas=5,
                                                name="Batenbrock").items():
        assert deliver(view, topic, payload)
    for topic, payload in station_messages(Topics("batenbrock", "welheim-1"), loans=3, overdue=0, ideas=1, link="0",
                                           alert=False).items():
        assert deliver(view, topic, payload)
    client = app.test_client()
    log_in(client)
    page = client.get("/").get_data(as_text=True)
    batenbrock, welheim = page.split('data-station="batenbrock-1"')[1].split('data-station="welheim-1"')
    assert "<h2>Batenbrock <small>batenbrock-1</small></h2>" in batenbrock
    assert "läuft" in batenbrock and "Das Beet braucht Wasser" in batenbrock
    assert '"loans">7<' in batenbrock and '"overdue">2<' in batenbrock and '"ideas">5<' in batenbrock
    assert "Verbindung unterbrochen" in welheim and "keiner" in welheim and '"loans">3<' in welheim
    assert "<h2>welheim-1</h2>" in welheim and "Die Zahlen sind vom letzten Stand" in welheim
    assert "2 Stationen brauchen jemanden." in page
    accounts.close()


def test_district_mode_has_no_page_that_sends(make_config, app_for):
    station_app, *_ = app_for(make_config(extra=console_section(8443)))
    sending = {rule.rule for rule in station_app.url_map.iter_rules() if "POST" in rule.methods} - {"/login", "/logout",
                                                                                                    "/password"}
    sending = {re.sub(r"<[^>]+>", "1", rule) for rule in sending}
    assert "/bed/ack" in sending and "/ideas" in sending
    assert all(station_app.test_client().post(path).status_code != 404 for path in sending)   # the station's console has them
    app, view, accounts = district_app(make_config)
    client = app.test_client()
    log_in(client)
    csrf = token(client, "/password")
    for path in sending:
        assert client.post(path, data={"csrf_token": csrf, "node": "bed-1"}).status_code == 404, path
    page = client.get("/").get_data(as_text=True)
    assert "<form" not in page.split("</nav>", 1)[1]           # nothing to press but „Abmelden“
    accounts.close()


ANY_PAYLOAD = JSON.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=40) | st.sampled_from([b"", b"1", b"0"])
ANY_LEVEL = st.text(st.characters(blacklist_characters="/+#\0", blacklist_categories=("Cs",)), min_size=1, max_size=12)


def test_anything_from_one_station_never_breaks_the_page_nor_another_station(make_config):
    app, _view, accounts = district_app(make_config)
    client = app.test_client()
    log_in(client)                     # once: every example uses this session
    good = Topics("batenbrock", "batenbrock-1")

    @settings(max_examples=200, deadline=None)
    @given(junk=st.lists(st.tuples(st.sampled_from(KINDS), ANY_PAYLOAD), min_size=1, max_size=8), station=ANY_LEVEL)
    def check(junk, station):
        view = DistrictView()
        app.extensions["station"] = view
        for topic, payload in station_messages(good, loans=7, overdue=2, ideas=5).items():
            deliver(view, topic, payload)
        other = Topics("batenbrock", station if station != good.station else "welheim-1")
        for kind, payload in junk:
            deliver(view, topic_of(other, kind), payload)
        response = client.get("/")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        mine = page.split('data-station="batenbrock-1"')[1].split("</section>")[0]
        assert '"loans">7<' in mine and '"ideas">5<' in mine and "Nicht lesbar" not in mine
        assert str(escape(other.station)) in page
        # Unreadable exactly while the last message of some part could not be read.
        last = dict(junk)
        unreadable = any(not deliver(DistrictView(), topic_of(other, kind), payload) for kind, payload in last.items())
        seen = {s.station: s for s in view.stations()}[other.station]
        assert bool(seen.unreadable) == unreadable
        assert ("Nicht lesbar" in page.split(f'data-station="{escape(other.station)}"')[1].split("</section>")[0]) \
            == unreadable
    try:
        check()
    finally:
        accounts.close()


def test_a_flood_of_made_up_stations_and_beds_stays_bounded():
    view = DistrictView()
    for number in range(MAX_STATIONS + 50):
        deliver(view, Topics("batenbrock", f"fake-{number}").fleet_link(), b"1")
    assert len(view.stations()) == MAX_STATIONS
    for number in range(MAX_NODES + 50):
        deliver(view, Topics("batenbrock", "fake-0").garden_alert(f"bed-{number}"),
                json.dumps(BedAlert(True, "dry", "2026-12-02T10:00:00Z", 20.0).to_payload()).encode())
        deliver(view, Topics("batenbrock", "fake-1").garden_alert(f"bed-{number}"), b"kaputt")
    seen = {s.station: s for s in view.stations()}
    assert len(seen["fake-0"].alerts) == MAX_NODES and len(seen["fake-1"].unreadable) == MAX_NODES


def test_a_stations_console_names_its_own_office(tmp_path, app_for):
    from kiosk import config as config_mod
    config = config_mod.loads(f'[station]\nid = "welheim-1"\nname = "Welheim"\ndata_dir = "{tmp_path / "data"}"\n'
                              + console_section(8443))
    app, *_ = app_for(config)
    page = app.test_client().get("/login").get_data(as_text=True)
    assert "<title>Anmelden – Station Welheim</title>" in page and "Batenbrock" not in page

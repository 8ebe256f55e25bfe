"""The district's page in Debian's chromium: a real Mosquitto standing in for the central broker, with the
retained messages two stations' bridges carried there, and a real `kiosk console` in district mode.

`KIOSK_SCREENSHOTS=docs/console` keeps the page's screenshots there (docs/console.md shows them)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kiosk.bus import Topics

from .conftest import DESKTOP, PHONE, log_in
from .test_district import DISTRICT, station_messages

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def card(page, station: str) -> str:
    return page.locator(f'[data-station="{station}"]').inner_text()


def test_district_staff_see_every_station_and_a_cut_link_in_plain_words(run_console, page, watch, tmp_path):
    console = run_console(extra=DISTRICT)
    central = watch(console.config, "#")        # stands in for the stations' bridges, and hears everything
    stations = {"batenbrock-1": dict(loans=7, overdue=2, ideas=5, name="Batenbrock"),
                "welheim-1": dict(loans=3, overdue=0, ideas=1, link="0", alert=False, name="Welheim")}
    published = set()
    for station, figures in stations.items():
        for topic, payload in station_messages(Topics("batenbrock", station), **figures).items():
            central.bus.publish(topic, payload, qos=1, retain=True).wait_for_publish(5)
            published.add(topic)
    for topic in published:
        central.wait_for(topic)

    log_in(page, console.url)
    assert page.locator("h1").inner_text() == "Alle Stationen"
    for _ in range(50):           # the console hears the retained messages moments after it connects
        if page.locator("[data-station]").count() == 2:
            break
        page.wait_for_timeout(200)
        page.reload()
    batenbrock, welheim = card(page, "batenbrock-1"), card(page, "welheim-1")
    assert "Zustand\nläuft" in batenbrock and "Verbindung zum Bezirk\nverbunden" in batenbrock
    assert batenbrock.startswith("Batenbrock batenbrock-1\n") and welheim.startswith("Welheim welheim-1\n")
    assert "Gießalarme\nDas Beet braucht Wasser seit" in batenbrock
    assert "Ausgeliehen\n7" in batenbrock and "Überfällig\n2" in batenbrock and "Ideen diesen Monat\n5" in batenbrock
    assert "Die Zahlen sind vom letzten Stand" in welheim and "letzten Stand" not in batenbrock
    assert "Zustand\nVerbindung unterbrochen" in welheim and "Verbindung zum Bezirk\nunterbrochen" in welheim
    assert "Gießalarme\nkeiner" in welheim and "Ausgeliehen\n3" in welheim and "Ideen diesen Monat\n1" in welheim
    assert page.locator(".summary").inner_text() == "2 Stationen brauchen jemanden."
    assert page.locator("nav a").all_inner_texts() == ["Alle Stationen", "Passwort"]
    shots = Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "district-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(shots / "district-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)

    # Read-only: the station's commands are not there, even for a logged-in form with its token.
    token = CSRF.search(page.request.get(console.url + "/password").text()).group(1)
    before = len(central.drain())
    for path in ("/bed/ack", "/ideas", "/booth/block", "/herbs/thresholds"):
        assert page.request.post(console.url + path, form={"csrf_token": token, "node": "bed-1"}).status == 404
    assert central.drain()[before:] == []            # and nothing went out on the central broker
    assert {m.topic for m in central.seen} == published

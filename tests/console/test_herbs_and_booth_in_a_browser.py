"""Kräuterbeet and Bücherzelle in Debian's chromium, against a real `kiosk console` process,
a real Mosquitto, the real `kiosk booth` process with the emulated reader and the real
garden service: what staff do there, seen where it counts (the booth's own database and
lending, the garden's calibration)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from kiosk.booth.store import BoothStore
from kiosk.bus.broker import free_port
from kiosk.garden.store import GardenStore, StoredReading
from kiosk.staff.accounts import StaffAccounts
from tests.booth.booth_process import BoothProcess
from tests.garden.conftest import run_garden  # noqa: F401 — the real garden service, in-process

from .conftest import PASSWORD, ROOT, STAFF, RunningConsole, console_section, log_in

BOOTH = '\n[booth]\nreader = "emulated"\npoll_ms = 10\nsession_s = 30\n'
ANNA, NEW_BOOK, OLD_BOOK = "04a1b2c3", "b0000017", "b0000001"


@pytest.fixture
def station(make_config, broker, tmp_path):
    """A config with console and emulated booth, and a function that starts the console (and the booth)."""
    port = free_port()
    config = make_config(broker.port, extra=console_section(port) + BOOTH)
    with StaffAccounts.open(config) as accounts:
        accounts.add(STAFF, PASSWORD, by="test")
    running: list = []

    def start(booth: bool = False):
        console = RunningConsole(config, port, tmp_path / "console.log")
        running.append(console)
        process = None
        if booth:
            process = BoothProcess(config, tmp_path / "booth.log")
            running.append(process)
            process.start()
        return console, process
    yield config, start
    for thing in reversed(running):
        thing.close() if isinstance(thing, BoothProcess) else thing.stop()


def admin(config, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "kiosk", "--config", config.source, "admin", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def reload_until(page, url: str, selector: str, tries: int = 50) -> None:
    """Reload until the retained message the page waits for has reached the console."""
    for _ in range(tries):
        page.goto(url)
        if page.locator(selector).count():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{selector} did not appear on {url}: {page.inner_text('main')}")


def tap(booth: BoothProcess, uid: str, predicate) -> dict:
    start = len(booth.events)
    booth.simulate(uid, True)
    event = booth.wait_event(predicate, start, timeout=10)
    booth.simulate(uid, False)
    assert event is not None, f"the booth did not react to {uid}: {booth.events[start:]}"
    return event


def test_title_a_book_registered_at_the_emulated_booth(station, page):
    config, start = station
    console, booth = start(booth=True)
    log_in(page, console.url)
    reload_until(page, console.url + "/booth", "#figures")
    page.locator("#register button[value=books]").click()
    assert "Halte jetzt jedes neue Buch" in page.locator(".flash.ok").inner_text()
    registered = tap(booth, NEW_BOOK, lambda e: e["type"] == "registered")
    number = registered["book"]["id"]
    reload_until(page, console.url + "/booth", f"#book-{number}")
    assert f"Buch {number}" in page.locator(f"#book-{number}").inner_text()
    page.fill(f"#title-{number}", "Die Olchis <und> der Drache")
    page.locator(f"#book-{number} button").click()
    assert f"Buch {number} heißt jetzt „Die Olchis <und> der Drache“" in page.locator(".flash.ok").inner_text()
    assert "Die Olchis <und> der Drache" in admin(config, "book", "list")      # the booth's own query
    reload_until(page, console.url + "/booth", "#books .hint")                 # no book waits for a title now
    page.goto(console.url + "/changes")
    assert f"Buch {number} heißt jetzt" in page.inner_text("main")


def test_a_card_blocked_in_the_console_cannot_borrow_at_the_booth_until_unblocked(station, page):
    config, start = station
    with BoothStore.open(config) as store:
        card = store.add_card(ANNA)
        store.add_book(OLD_BOOK, "Das Sams", "Paul Maar", "8-10")
    console, booth = start(booth=True)
    log_in(page, console.url)
    reload_until(page, console.url + "/booth", "#figures")
    page.fill("#card-name", card.pseudonym)
    page.locator("#block button").click()
    assert f"{card.pseudonym} ist jetzt gesperrt" in page.locator(".flash.ok").inner_text()
    refused = tap(booth, ANNA, lambda e: e["type"] in ("denied", "session_start"))
    assert refused["type"] == "denied" and refused["card"] == card.pseudonym
    tap(booth, OLD_BOOK, lambda e: e["type"] in ("denied", "checkout", "return"))
    assert json.loads(admin(config, "loans", "--json")) == []

    reload_until(page, console.url + "/booth", "#cards .row button")
    assert card.pseudonym in page.locator("#cards .row").inner_text()
    assert ANNA not in page.content()                          # only pseudonyms, never a card's UID
    page.locator("#cards .row button").click()
    assert f"{card.pseudonym} kann wieder ausleihen" in page.locator(".flash.ok").inner_text()
    tap(booth, ANNA, lambda e: e["type"] == "session_start")
    tap(booth, OLD_BOOK, lambda e: e["type"] == "checkout")
    assert [loan["card"] for loan in json.loads(admin(config, "loans", "--json"))] == [card.pseudonym]


def test_the_plot_of_the_last_24_hours_is_drawn_in_the_page(station, run_garden, page):  # noqa: F811
    config, start = station
    now = time.time()
    with GardenStore.open(config) as store:          # a garden that has measured for six hours
        store.record([StoredReading("bed-1", int((now - 6 * 3600 + i * 600) * 1000), i, 40000, 45.0 - i)
                      for i in range(36)], [], [])
    run_garden(config)
    console, _ = start()
    log_in(page, console.url)
    reload_until(page, console.url + "/herbs?span=24h", "svg.plot circle.point")
    assert page.locator("svg.plot circle.point").count() >= 20            # 15-minute buckets over 6 hours
    assert page.locator("svg.plot circle.point.dry").count() > 0          # it fell below 30 %
    assert "zu trocken unter 30 %" in page.locator("svg.plot").text_content()
    assert page.locator("svg.plot rect.dry-time").count() == 1
    page.locator("#plot a.chip", has_text="7 Tage").click()
    assert page.locator("#plot a.chip[aria-current=true]").inner_text() == "7 Tage"


def test_calibrating_the_sensor_in_both_steps(station, run_garden, page, watch):  # noqa: F811
    config, start = station
    garden = run_garden(config)
    console, _ = start()
    watcher = watch(config)
    topics = watcher.bus.topics
    seq = iter(range(1000))

    def reading(raw: int) -> None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        watcher.bus.publish(topics.garden_reading("bed-1"), {"ts": stamp, "node": "bed-1", "seq": next(seq),
                                                              "raw": raw})

    reading(50500)
    watcher.wait_for(topics.garden_state("bed-1"), lambda state: state.get("moisture") is not None)
    log_in(page, console.url)
    page.goto(console.url + "/herbs")
    assert "trockene Luft" in page.locator("#calibrate li.current").inner_text()
    page.locator("#calibrate button[value=dry]").click()
    assert "Gespeichert: Rohwert 50500." in page.locator(".flash.ok").inner_text()
    assert "ins Wasser" in page.locator("#calibrate li.current").inner_text()
    reading(22000)
    watcher.wait_for(topics.garden_state("bed-1"), lambda state: (state.get("moisture") or 0) > 90)
    page.locator("#calibrate button[value=wet]").click()
    assert "Gespeichert: Rohwert 22000." in page.locator(".flash.ok").inner_text()
    assert "Fertig." in page.locator("#calibrate li.current").inner_text()
    assert garden.store.calibration_overrides() == {"bed-1": {"raw_dry": 50500, "raw_wet": 22000}}

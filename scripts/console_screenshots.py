"""Screenshots of the staff console for docs/console/: login, overview, offers, ideas (waiting,
answered, one whose answer mail waits), herb bed, book booth and printing, phone and desktop.

Runs a private Mosquitto, a sample station on it (retained statuses, a dry herb bed, a booth
summary, one failing notification — as `kiosk ui --screenshot` uses sample data), the real
`kiosk console` process, and Debian's chromium through Playwright:

    xvfb-run -a .venv/bin/python scripts/console_screenshots.py [DIR]
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk import config as config_mod  # noqa: E402
from kiosk.booth.store import BoothStore  # noqa: E402
from kiosk.booth.messages import BookRef, MonthCounts, OverdueLoan, SameIsbn, Summary  # noqa: E402
from kiosk.bus import Bus  # noqa: E402
from kiosk.bus.broker import LocalBroker, free_port  # noqa: E402
from kiosk.clock import iso_from_epoch  # noqa: E402
from kiosk.garden.messages import BedAlert, BedState  # noqa: E402
from kiosk.ideas import moderation  # noqa: E402
from kiosk.ideas.store import IdeaStore  # noqa: E402
from kiosk.staff.accounts import StaffAccounts  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
NAME, PASSWORD = "anna", "Beispiel-Passwort-1"
IDEAS = [("Ein Trinkbrunnen am Spielplatz Batenbrockstraße, damit die Kinder im Sommer Wasser haben.", "play"),
         ("Mehr Bänke am Kirchplatz – für die Älteren, die dort auf den Bus warten.", "meeting"),
         ("<script>alert('hallo')</script> Müllsammeln mit der Grundschule im Frühling", "clean")]
# Ideas already on the wall: (text, category, status, public answer, contact left with consent)
ANSWERED = [("Ein Hochbeet für die Kita-Kinder vor dem Büro.", "green", "implemented",
             "Steht seit Mai – die Kinder gießen jeden Dienstag.", ""),
            ("Abends mehr Licht auf dem Weg zur Haltestelle.", "meeting", "in_progress",
             "Wir haben die Stadt gefragt. Sie prüft zwei neue Laternen.", "familie.yilmaz@example.org"),
            ("Ein Fußballtor auf dem Parkplatz hinter der Kirche.", "play", "new", "", "0176 5550123")]


def sample_station(config) -> None:
    """Retained messages a running station would have left on the broker."""
    bus = Bus(config, "sample", announce=False)
    bus.start()
    bus.wait_connected(10)
    topics, now = bus.topics, time.time()
    for service, status in (("garden", "online"), ("bridge", "online"), ("booth", "online"), ("ui", "offline")):
        bus.publish(topics.status(service), status, retain=True)
    # The typed messages the garden and the booth send, so the console reads them as it reads theirs.
    bus.publish(topics.garden_state("bed-1"), BedState(iso_from_epoch(now), 24.0, "dry").to_payload(), retain=True)
    bus.publish(topics.garden_alert("bed-1"), BedAlert(True, "dry", iso_from_epoch(now - 5400), 24.0).to_payload(),
                retain=True)
    overdue = OverdueLoan(BookRef(3, "Das Sams"), "Lesefuchs 1", iso_from_epoch(now - 86400))
    bus.publish(topics.booth_summary(), Summary(iso_from_epoch(now), 7, (overdue,),
                                                MonthCounts(loans=23, returns=18, readers=9, new_books=2),
                                                untitled=(41, 42), blocked=("Bücherwurm 12",),
                                                same_isbn=(SameIsbn("9783789142062", (38, 43)),),
                                                recent=(BookRef(43, "Eine Woche voller Samstage", "9783789142062"),
                                                        BookRef(40, "Der Grüffelo"), BookRef(39, "Das kleine Gespenst"))
                                                ).to_payload(),
                retain=True)
    for span, points in sample_histories(now).items():
        bus.publish(topics.garden_history("bed-1", span), points, retain=True)
    bus.publish(topics.faults("garden"), {"ts": iso_from_epoch(now), "faults": {"notify": {
        "since": iso_from_epoch(now - 3 * 3600),
        "message": "E-Mails gehen nicht raus: Der Mailserver lehnt die Anmeldung ab."}}}, retain=True)
    time.sleep(0.5)
    bus.stop()


def sample_histories(now: float) -> dict[str, dict]:
    """A bed that dries out over the day, is watered, and dries again: one series per span."""
    import math
    series = {}
    for span, back, bucket in (("24h", 86400, 900), ("7d", 7 * 86400, 3600), ("30d", 30 * 86400, 6 * 3600)):
        points = []
        for start in range(int(now - back) // bucket * bucket, int(now), bucket):
            days = (now - start) / 86400
            avg = 24 + 40 * (days % 3) / 3 + 3 * math.sin(start / 3600)    # watered every three days
            points.append({"ts": iso_from_epoch(start), "min": round(avg - 2, 1), "avg": round(avg, 1),
                           "max": round(avg + 2, 1), "n": 4})
        series[span] = {"node": "bed-1", "span": span, "bucket_s": bucket, "points": points}
    return series


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="console-shots-") as folder, LocalBroker(Path(folder) / "broker") as broker:
        port = free_port()
        path = Path(folder) / "station.toml"
        path.write_text(f'[station]\nid = "batenbrock-1"\ndata_dir = "{folder}/data"\n'
                        f'[mqtt]\nhost = "127.0.0.1"\nport = {broker.port}\n'
                        f'[[garden.sensors]]\nnode = "bed-1"\nname = "Kräuterbeet"\n'
                        f'[ui]\ncalendar_feeds = ["https://kirche-batenbrock.example/termine.ics"]\n'
                        f'[console]\nlisten = "127.0.0.1:{port}"\nallow = ["127.0.0.0/8"]\ntls_cert = ""\ntls_key = ""\n')
        config = config_mod.load(path)
        shutil.copy(ROOT / "config" / "offers.toml", Path(folder) / "offers.toml")
        with StaffAccounts.open(config) as accounts:
            accounts.add(NAME, PASSWORD, by="kiosk admin")
        # Written over the last days, as a real station gets them (the kiosk lets only a few in a minute).
        written = [time.time() - 3 * 86400]
        with IdeaStore.open(config, clock=lambda: written[0]) as ideas:
            for text, category, status, answer, contact in ANSWERED:
                written[0] += 3 * 3600
                idea = ideas.submit(text, category, contact=contact, consent=bool(contact), lang="tr")
                moderation.approve(ideas, idea.id)
                moderation.set_status(ideas, idea.id, status)
                moderation.answer(ideas, idea.id, answer)
            for text, category in IDEAS:
                written[0] += 3 * 3600
                ideas.submit(text, category)
        with BoothStore.open(config) as booth:          # the booth on this Pi: labels and lists can be printed
            for n, title in enumerate(("Das Sams", "Pippi Langstrumpf", "Momo"), 1):
                booth.add_book(f"b{n:07d}", title)
        sample_station(config)
        console = subprocess.Popen([sys.executable, "-m", "kiosk", "--config", str(path), "console"], cwd=ROOT)
        try:
            _wait_for(port)
            url = f"http://127.0.0.1:{port}"
            time.sleep(2)          # the console's first health and the retained messages
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for size, viewport in SIZES.items():
                    page = browser.new_context(viewport=viewport, locale="de-DE").new_page()
                    page.goto(url + "/login")
                    page.screenshot(path=out / f"login-{size}.png", full_page=True)
                    page.fill("#username", NAME)
                    page.fill("#password", PASSWORD)
                    page.click("button[type=submit].primary")
                    page.screenshot(path=out / f"overview-{size}.png", full_page=True)
                    page.goto(url + "/offers/muettercafe/edit")
                    if size == "phone":          # one change, so the list shows it with „Rückgängig“
                        page.locator("input[name=slot_start]").first.fill("10:00")
                        page.click("button[value=save]")
                        page.goto(url + "/offers/muettercafe/edit")
                    page.click("button[value=preview]")
                    page.screenshot(path=out / f"offer-{size}.png", full_page=True)
                    page.goto(url + "/offers")
                    page.screenshot(path=out / f"offers-{size}.png", full_page=True)
                    page.goto(url + "/ideas")
                    page.screenshot(path=out / f"ideas-{size}.png", full_page=True)
                    for name in ("herbs", "booth", "printing"):
                        page.goto(f"{url}/{name}")
                        page.screenshot(path=out / f"{name}-{size}.png", full_page=True)
                    page.context.close()
                browser.close()
        finally:
            console.terminate()
            console.wait(10)
    print(f"screenshots in {out}")


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("kiosk console did not start")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "console")

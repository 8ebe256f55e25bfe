"""What staff do in the console, in Debian's chromium against a real `kiosk console` process,
a real Mosquitto and real SQLite files."""

from __future__ import annotations

from kiosk.ideas.store import IdeaStore
from kiosk.staff.accounts import MAX_FAILURES
from tests.garden.conftest import run_garden  # noqa: F401 — the real garden service, in-process

from .conftest import PASSWORD, log_in


def test_staff_log_in_and_see_how_the_station_is(run_console, page):
    console = run_console()
    page.goto(console.url + "/")
    assert page.url.endswith("/login")
    log_in(page, console.url)
    assert page.locator("h1").inner_text() == "Wie geht's der Station?"
    assert "Diese Konsole" in page.locator("#services").inner_text()       # its own status, from the broker


def test_five_wrong_passwords_lock_the_account_also_for_the_right_one(run_console, page):
    console = run_console()
    for _ in range(MAX_FAILURES):
        log_in(page, console.url, password="ganz-falsch-123")
    assert "gesperrt" in page.locator("[role=alert]").inner_text()
    log_in(page, console.url, password=PASSWORD)
    assert page.url.endswith("/login") and "gesperrt" in page.locator("[role=alert]").inner_text()
    page.goto(console.url + "/ideas")
    assert page.url.endswith("/login")


def test_a_form_posted_without_its_csrf_token_is_refused(run_console, page):
    console = run_console()
    with IdeaStore.open(console.config) as ideas:
        idea = ideas.submit("Ein Trinkbrunnen am Markt", "green")
    log_in(page, console.url)
    response = page.request.post(console.url + "/ideas", form={"id": str(idea.id), "action": "approve"})
    assert response.status == 400
    with IdeaStore.open(console.config) as ideas:
        assert ideas.get(idea.id).state == "pending"


def test_the_console_refuses_an_address_outside_allow(run_console, page):
    console = run_console(allow='["10.99.0.0/16"]')        # the test connects from 127.0.0.1
    response = page.goto(console.url + "/login")
    assert response.status == 403
    assert "nicht erreichbar" in page.inner_text("body")
    assert page.locator("form").count() == 0


def test_a_stored_script_idea_shows_as_text_and_can_be_approved(run_console, page):
    console = run_console()
    with IdeaStore.open(console.config) as ideas:
        idea = ideas.submit("<script>alert(1)</script> <img src=x onerror=alert(2)>", "other")
    log_in(page, console.url)
    page.goto(console.url + "/ideas")
    text = page.locator(f"#idea-{idea.id} .text")
    assert text.inner_text() == "<script>alert(1)</script> <img src=x onerror=alert(2)>"
    assert page.locator("main script, main img").count() == 0
    page.locator(f"#idea-{idea.id} button[value=approve]").click()
    assert f"Idee {idea.id} steht jetzt auf der Ideenwand" in page.locator(".flash").inner_text()
    with IdeaStore.open(console.config) as ideas:
        assert ideas.get(idea.id).state == "approved"
    page.goto(console.url + "/changes")
    assert f"Idee {idea.id} freigegeben" in page.inner_text("main")
    # the page fixture fails the test had any alert() run


def test_acknowledging_the_watering_alert_changes_the_retained_alert(run_console, run_garden, page, watch):
    console = run_console()
    config = console.config
    run_garden(config)
    watcher = watch(config)
    topics = watcher.bus.topics
    for seq in range(config.garden.sensors[0].confirm_readings):
        watcher.bus.publish(topics.garden_reading("bed-1"),
                            {"ts": "2026-01-01T00:00:00Z", "node": "bed-1", "seq": seq, "raw": 50000})
    watcher.wait_for(topics.garden_alert("bed-1"), lambda alert: alert.get("active") is True)
    log_in(page, console.url)
    for _ in range(50):                          # the retained alert reaches the console in moments
        page.goto(console.url + "/")
        if page.locator("#bed button").count():
            break
        page.wait_for_timeout(200)
    assert "Das Beet braucht Wasser" in page.locator("#bed").inner_text()
    page.locator("#bed button").click()
    # The garden's own words, as the kiosk's staff screen shows them (kiosk/garden/staff_commands.py).
    assert "Die Erinnerungen hören auf" in page.locator(".flash").inner_text()
    watcher.wait_for(topics.garden_alert("bed-1"), lambda alert: alert.get("acknowledged") is True)
    assert page.locator("#bed button").count() == 0

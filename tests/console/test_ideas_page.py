"""Ideas in the console, in Debian's chromium against a real `kiosk console` process: approve and
answer an idea, see the answer on the wall's data and the author's mail arrive at a real SMTP
server (aiosmtpd), the contact gone afterwards; an idea entered for a visitor."""

from __future__ import annotations

import pytest

from kiosk.ideas import moderation
from kiosk.ideas.answer_mail import RETRY_MIN_S, AnswerMailer
from kiosk.ideas.store import IdeaStore
from tests.garden.staff_inbox import MailInbox, wait_until

from .conftest import log_in


@pytest.fixture
def inbox(tmp_path):
    """A real SMTP server (STARTTLS, login) as the station's [garden.notify.email]; not yet started."""
    server = MailInbox(tmp_path)
    running = []
    server.start = lambda: running.append(MailInbox.start(server)) or server
    yield server
    if running:
        server.stop()


def test_staff_approve_and_answer_an_idea_and_its_author_gets_the_answer_by_mail(run_console, page, inbox):
    inbox.start()
    console = run_console(extra=inbox.config_toml())
    with IdeaStore.open(console.config) as ideas:
        idea = ideas.submit("Bir içme çeşmesi pazar yerine", "green", contact="ayse@test", consent=True, lang="tr")
    log_in(page, console.url)
    page.goto(console.url + "/ideas")
    page.locator(f"#idea-{idea.id} button[value=approve]").click()
    card = page.locator(f"#wall-{idea.id}")
    card.locator("select[name=status]").select_option("in_progress")
    card.locator("textarea[name=answer]").fill("Wir sprechen im Mai mit der Stadt.")
    card.locator("button[type=submit].primary").click()
    assert "bekommt die Antwort per E-Mail" in page.locator(".flash").inner_text()

    wait_until(lambda: inbox.received_by("ayse@test"), what="the answer mail")
    mail = inbox.received_by("ayse@test")[0]
    assert mail["Subject"] == f"{idea.number} numaralı fikrinin bir cevabı var"       # Turkish, as she wrote
    body = mail.get_content()
    assert "Wir sprechen im Mai mit der Stadt." in body and "Durum: Yapılıyor" in body
    with IdeaStore.open(console.config) as ideas:
        wall = ideas.wall()                                    # what the kiosk's ideas wall shows
        wait_until(lambda: ideas.contact_of(idea.id) is None, what="the contact erased")
        assert ideas.waiting_answer_mails() == {}
    assert [(i.id, i.status, i.answer) for i in wall] == [(idea.id, "in_progress", "Wir sprechen im Mai mit der Stadt.")]
    page.goto(console.url + "/ideas")
    assert page.locator(f"#wall-{idea.id} .waiting").count() == 0
    assert page.locator(f"#wall-{idea.id} .contact").count() == 0          # nothing left to show
    page.goto(console.url + "/changes")
    assert f"Idee {idea.id}: Antwort geschrieben, Stand „Wird gemacht“" in page.inner_text("main")


def test_a_dead_mail_server_keeps_the_answer_waiting_and_the_contact_is_shown_only_on_purpose(
        run_console, page, inbox):
    # the mail server is not started: nobody answers on its port
    console = run_console(extra=inbox.config_toml())
    with IdeaStore.open(console.config) as ideas:
        idea = ideas.submit("Mehr Bänke am Kirchplatz", "meeting", contact="oma.else@test", consent=True, lang="de")
        ideas.moderate(idea.id, "approve")
    log_in(page, console.url)
    page.goto(console.url + "/ideas")
    card = page.locator(f"#wall-{idea.id}")
    assert "oma.else@test" not in page.inner_text("main")
    card.locator("textarea[name=answer]").fill("Zwei Bänke kommen im Frühling.")
    card.locator("button[type=submit].primary").click()
    for _ in range(50):                                        # the mailer's first try fails in moments
        page.goto(console.url + "/ideas")
        if "nicht erreichbar" in card.locator(".waiting").inner_text():
            break
        page.wait_for_timeout(200)
    assert card.locator(".waiting").inner_text().startswith("Mail an die Person wartet – Mailserver nicht erreichbar")
    card.locator(".contact button").click()
    assert page.locator(f"#wall-{idea.id} .shown-contact").inner_text() == "oma.else@test"
    page.goto(console.url + "/changes")
    assert f"Kontakt von Idee {idea.id} angesehen" in page.inner_text("main")
    with IdeaStore.open(console.config) as ideas:
        assert ideas.contact_of(idea.id) == "oma.else@test"    # kept until the mail went
        assert list(ideas.waiting_answer_mails()) == [idea.id]


def test_an_idea_staff_enter_for_a_visitor_waits_in_the_queue_with_its_number(run_console, page):
    console = run_console()
    log_in(page, console.url)
    page.goto(console.url + "/ideas")
    page.fill("#add-text", "Ein Bücherregal im Wartezimmer")
    page.select_option("#add-category", "meeting")
    page.fill("#add-contact", "0176 1234567")
    page.click("#add button[type=submit]")
    assert "Einverständnis" in page.locator("#add [role=alert]").inner_text()     # no consent, nothing stored
    assert page.input_value("#add-text") == "Ein Bücherregal im Wartezimmer"
    with IdeaStore.open(console.config) as ideas:
        assert ideas.pending() == []
    page.check("#add input[name=consent]")
    page.select_option("#add-lang", "uk")
    page.click("#add button[type=submit]")
    with IdeaStore.open(console.config) as ideas:
        [idea] = ideas.pending()
        assert (idea.text, idea.category, ideas.contact_of(idea.id), ideas.language_of(idea.id)) == \
            ("Ein Bücherregal im Wartezimmer", "meeting", "0176 1234567", "uk")
    assert f"Idee {idea.number} ist eingetragen" in page.locator(".flash").inner_text()
    assert page.locator(f"#idea-{idea.number} .meta").inner_text().startswith(f"Idee {idea.number} ·")


def test_an_answer_waits_while_the_mail_server_is_down_and_goes_once_it_is_back(make_config, inbox):
    now = [1_800_000_000.0]
    config = make_config(extra=inbox.config_toml())
    with IdeaStore.open(config, clock=lambda: now[0]) as ideas:
        mailer = AnswerMailer.for_station(config, ideas, clock=lambda: now[0])
        idea = ideas.submit("Ein Grillplatz am Kanal", "meeting", contact="tom@test", consent=True, lang="en")
        ideas.moderate(idea.id, "approve")
        assert moderation.answer(ideas, idea.id, "Not allowed there, sorry.").mailed
        assert mailer.send_due() == 0                          # the server is down
        assert "Mailserver nicht erreichbar" in ideas.waiting_answer_mails()[idea.id]
        inbox.start()
        assert mailer.send_due() == 0                          # not before its pause is over
        now[0] += RETRY_MIN_S
        assert mailer.send_due() == 1
        assert ideas.contact_of(idea.id) is None and ideas.waiting_answer_mails() == {}
        assert mailer.send_due() == 0                          # sent once, not again
    [mail] = inbox.received_by("tom@test")
    assert mail["Subject"] == f"Your idea no. {idea.number} has an answer"
    assert "Not allowed there, sorry." in mail.get_content()

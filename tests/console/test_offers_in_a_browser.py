"""Staff keep the offers in the console, in Debian's chromium against a real `kiosk console`
process: what they save is what the kiosk loads (the kiosk's own loader and watch on
offers.toml), an edit can be undone, and a hand edit of offers.toml is never overwritten."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone

from kiosk.offers import describe_when, load_offers, offers_path, watch_offers
from kiosk.offers.loading import OffersWatch

from .conftest import ROOT, log_in

NOW = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)


def kiosk_offer(config, title_de: str):
    """The offer as the kiosk would show it: the kiosk's loader, nothing of the console's."""
    found = [o for o in load_offers(config, NOW) if o.text("title", "de") == title_de]
    assert len(found) <= 1
    return found[0] if found else None


def seeded_console(run_console):
    console = run_console()
    shutil.copy(ROOT / "config" / "offers.toml", offers_path(console.config))
    return console


def test_create_an_offer_in_german_and_turkish_see_it_in_the_kiosk_edit_and_undo(run_console, page):
    console = seeded_console(run_console)
    config = console.config
    watch = OffersWatch(offers_path(config), every_s=0)
    log_in(page, console.url)
    page.click("nav >> text=Angebote")
    page.click("text=Neues Angebot")
    page.fill("#title_de", "Nähcafé für alle")
    page.locator("#title summary").click()                  # the other languages fold away on a phone
    page.fill("#title_tr", "Herkes için dikiş kafesi")
    page.locator("select[name=slot_day]").first.select_option("mo")
    page.locator("input[name=slot_start]").first.fill("10:00")
    page.locator("input[name=slot_end]").first.fill("12:00")
    page.locator("input[name=skip]").first.fill("2026-12-28")
    page.check("input[name=audiences][value=families]")
    page.check("input[name=topics][value=everyday]")
    page.click("button[value=preview]")
    assert "Her pazartesi, 10:00–12:00" in page.locator("#preview").inner_text()
    assert "Jeden Montag, 10:00–12:00 Uhr" in page.locator("#qr-text").inner_text()
    missing = page.locator("#title summary").inner_text()
    assert "fehlt" in missing and "English" in missing and "Türkçe" not in missing
    page.click("button[value=save]")
    assert "Gespeichert: „Nähcafé für alle“" in page.locator(".flash").inner_text()

    assert watch.changed()                                  # the kiosk notices the file at its next look
    offer = kiosk_offer(config, "Nähcafé für alle")
    assert offer.text("title", "tr") == "Herkes için dikiş kafesi"
    assert describe_when(offer, "tr", NOW) == "Her pazartesi, 10:00–12:00"
    assert offer.skip == (date(2026, 12, 28),)
    assert offer.audiences == ("families",) and offer.topics == ("everyday",)
    assert "Müttercafé für Alleinerziehende" in [o.text("title", "de") for o in load_offers(config, NOW)]
    assert "# TODO Team: Zeit prüfen" in offers_path(config).read_text(encoding="utf-8")   # comments kept

    page.locator(f"#offer-{offer.id} >> text=Bearbeiten").click()
    page.locator("input[name=slot_start]").first.fill("10:30")
    page.click("button[value=save]")
    assert describe_when(kiosk_offer(config, "Nähcafé für alle"), "de", NOW) == "Jeden Montag, 10:30–12:00 Uhr"

    page.locator("#history button", has_text="Rückgängig").first.click()
    assert "Rückgängig gemacht" in page.locator(".flash").inner_text()
    assert describe_when(kiosk_offer(config, "Nähcafé für alle"), "de", NOW) == "Jeden Montag, 10:00–12:00 Uhr"

    page.goto(console.url + "/changes")
    changes = page.inner_text("main")
    assert "Angebot „Nähcafé für alle“ angelegt" in changes and "Rückgängig: Angebot „Nähcafé für alle“ geändert" in changes


def test_a_hand_edit_between_opening_and_saving_the_form_is_not_overwritten(run_console, page):
    console = seeded_console(run_console)
    config = console.config
    path = offers_path(config)
    log_in(page, console.url)
    page.goto(console.url + "/offers/yoga/edit")
    page.fill("#title_de", "Yoga am Donnerstag")
    hand = path.read_text(encoding="utf-8").replace('de = "Kostenloses Yoga"', 'de = "Yoga für alle (von Hand)"')
    path.write_text(hand, encoding="utf-8")
    page.click("button[value=save]")
    assert "Nichts ist gespeichert" in page.locator("#error-top").inner_text()
    assert page.locator("#title_de").input_value() == "Yoga am Donnerstag"        # the staff member's input is kept
    assert path.read_text(encoding="utf-8") == hand
    assert kiosk_offer(config, "Yoga für alle (von Hand)") is not None
    assert kiosk_offer(config, "Yoga am Donnerstag") is None


def test_retire_an_offer_and_show_it_again(run_console, page):
    console = seeded_console(run_console)
    config = console.config
    log_in(page, console.url)
    page.goto(console.url + "/offers")
    page.locator("#offer-yoga button", has_text="Zurückziehen").click()
    assert "nicht mehr im Kiosk" in page.locator(".flash").inner_text()
    assert kiosk_offer(config, "Kostenloses Yoga") is None
    assert "zurückgezogen" in page.locator("#offer-yoga").inner_text().lower()
    page.locator("#offer-yoga button", has_text="Wieder zeigen").click()
    assert kiosk_offer(config, "Kostenloses Yoga") is not None


def test_copy_makes_a_new_offer_and_leaves_the_original(run_console, page):
    console = seeded_console(run_console)
    config = console.config
    log_in(page, console.url)
    page.goto(console.url + "/offers")
    page.locator("#offer-muettercafe >> text=Kopieren").click()
    page.fill("#title_de", "Vätercafé")
    page.locator("select[name=slot_day]").first.select_option("do")
    page.click("button[value=save]")
    copy = kiosk_offer(config, "Vätercafé")
    assert describe_when(copy, "de", NOW) == "Jeden Donnerstag, 09:30–11:30 Uhr"
    assert copy.text("summary", "tr") == kiosk_offer(config, "Müttercafé für Alleinerziehende").text("summary", "tr")
    assert describe_when(kiosk_offer(config, "Müttercafé für Alleinerziehende"), "de", NOW) == \
        "Jeden Dienstag, 09:30–11:30 Uhr"


def test_the_domain_message_stands_next_to_the_field_and_nothing_is_saved(run_console, page):
    console = seeded_console(run_console)
    before = offers_path(console.config).read_text(encoding="utf-8")
    log_in(page, console.url)
    page.goto(console.url + "/offers/new")
    page.fill("#title_de", "Spielenachmittag")
    page.locator("select[name=slot_day]").first.select_option("fr")
    page.locator("input[name=slot_start]").first.fill("16:00")
    page.locator("input[name=slot_end]").first.fill("15:00")
    page.click("button[value=save]")
    assert page.locator("#error-slot-0-end").inner_text() == "Das Ende muss nach dem Anfang liegen, am selben Tag."
    assert offers_path(console.config).read_text(encoding="utf-8") == before


def test_calendar_feeds_are_listed_with_their_last_good_read(run_console, page, tmp_path):
    console = seeded_console(run_console)
    log_in(page, console.url)
    page.goto(console.url + "/offers")
    assert "Keine Kalender eingetragen" in page.locator("#feeds").inner_text()
    assert watch_offers(console.config).path == offers_path(console.config)

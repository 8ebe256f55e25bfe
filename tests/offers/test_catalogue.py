import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from kiosk.languages import CODES as LANGS
from kiosk.offers import describe_when, load_offers, offer_qr_text, parse_offers, read_offers_file

SHIPPED = Path(__file__).resolve().parents[2] / "config" / "offers.toml"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def test_every_shipped_offer_speaks_all_five_languages():
    offers = read_offers_file(SHIPPED)
    assert len(offers) >= 9
    for offer in offers:
        for field in ("title", "summary", "cost"):
            texts = getattr(offer, field)
            assert set(texts) == set(LANGS), f"{offer.id}.{field} lacks {set(LANGS) - set(texts)}"
            # Each text is in its own script: catches a paste into the wrong line.
            assert not ARABIC.search(texts["uk"]) and not ARABIC.search(texts["tr"]), f"{offer.id}.{field}"
            assert not CYRILLIC.search(texts["ar"]) and not CYRILLIC.search(texts["de"]), f"{offer.id}.{field}"
            assert ARABIC.search(texts["ar"]), f"{offer.id}.{field}.ar is not Arabic"
            assert CYRILLIC.search(texts["uk"]), f"{offer.id}.{field}.uk is not Ukrainian"


def test_shipped_offers_cover_the_article():
    offers = {o.id: o for o in read_offers_file(SHIPPED)}
    assert {"muettercafe", "yoga", "buecherzelle", "kraeuterbeet", "wlan", "einkaufswagen",
            "stadtteilbuero"} <= set(offers)
    assert offers["buecherzelle"].always_open and "children" in offers["buecherzelle"].audiences
    assert "single_parents" in offers["muettercafe"].audiences
    assert all(o.free for o in offers.values())
    examples = [o for o in offers.values() if o.example]
    assert 2 <= len(examples) <= 3
    # No invented phone numbers: contacts are the office's name, not digits.
    assert not any(re.search(r"\d{4,}", o.contact) for o in offers.values())


def test_shipped_qr_texts_stay_short_in_every_language():
    for offer in read_offers_file(SHIPPED):
        for lang in LANGS:
            text = offer_qr_text(offer, lang, NOW)
            assert len(text) < 300, (offer.id, lang, len(text))
            assert offer.text("title", lang) in text
            assert describe_when(offer, lang, NOW) in text


def test_load_offers_reads_offers_file_next_to_station_toml(station):
    offers = load_offers(station())
    assert [o.id for o in offers] == ["cafe", "beet"]
    assert offers[0].timezone == "Europe/Berlin"
    assert offers[0].cost["de"] == "kostenlos"          # free = true without cost text


@pytest.mark.parametrize("bad, key, fix", [
    ('audiences = ["pensioners"]', "audiences[0]", "choose from"),
    ('weekly = [ { day = "funday", start = "09:00", end = "10:00" } ]', "weekly[0].day", "mo, di"),
    ('weekly = [ { day = "mo", start = "9 Uhr", end = "10:00" } ]', "weekly[0].start", "09:30"),
    ('weekly = [ { day = "mo", start = "11:00", end = "10:00" } ]', "weekly[0].end", "not after"),
    ('colour = "green"', "colour", "unknown key"),
    ('free = "yes"', "free", "true or false"),
])
def test_bad_offers_toml_names_file_offer_and_key(station, bad, key, fix):
    text = f'[[offer]]\nid = "yoga"\nalways_open = true\n{bad}\n[offer.title]\nde = "Yoga"\n'
    config = station(offers=text)
    with pytest.raises(ConfigError) as caught:
        load_offers(config)
    message = str(caught.value)
    assert "offers.toml" in message and "yoga" in message and key in message and fix in message


def test_offer_without_german_title_or_time_is_refused():
    with pytest.raises(ConfigError, match=r"title\.de"):
        parse_offers('[[offer]]\nid = "x"\nalways_open = true\n[offer.title]\nen = "Yoga"\n')
    with pytest.raises(ConfigError, match="no time"):
        parse_offers('[[offer]]\nid = "x"\n[offer.title]\nde = "Yoga"\n')
    with pytest.raises(ConfigError, match="used twice"):
        parse_offers('[[offer]]\nid = "x"\nalways_open = true\ntitle = "A"\n'
                     '[[offer]]\nid = "x"\nalways_open = true\ntitle = "B"\n')


def test_broken_toml_and_missing_file_say_which_file(station, tmp_path):
    with pytest.raises(ConfigError, match="offers.toml is not valid TOML"):
        load_offers(station(offers='[[offer]]\nid = "x\n'))
    config = station()
    (tmp_path / "offers.toml").unlink()
    with pytest.raises(ConfigError, match="ui.offers_file.*not found"):
        load_offers(config)


def test_admin_offers_lists_the_shipped_file():
    import subprocess
    import sys
    root = SHIPPED.parents[1]
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(root / "config" / "station.toml"),
                             "admin", "offers"], capture_output=True, text=True, cwd=root, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Müttercafé für Alleinerziehende — Jeden Dienstag, 09:30–11:30 Uhr" in result.stdout
    assert "BEISPIEL" in result.stdout

"""The station's languages are one list (kiosk/languages.py), and everything a language needs is there for each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config, languages
from kiosk.languages import CODES
from kiosk.offers.qr import LABELS
from kiosk.ui.keyboard.layouts import HAS_CASE, LAYOUTS, SHORT_NAMES
from kiosk.ui.speech import Speaker

ROOT = Path(__file__).resolve().parents[1]


def test_the_five_languages_in_the_order_the_kiosk_offers_them():
    assert CODES == ("de", "en", "tr", "ar", "uk")
    assert languages.NAMES == {"de": "Deutsch", "en": "English", "tr": "Türkçe", "ar": "العربية",
                               "uk": "Українська"}
    assert [code for code in CODES if languages.is_rtl(code)] == ["ar"]
    assert not languages.is_rtl("xx")


@pytest.mark.parametrize("code", CODES)
def test_each_language_has_a_catalog_a_keyboard_a_voice_and_offer_labels(code):
    assert (ROOT / "kiosk" / "ui" / "locale" / code / "LC_MESSAGES" / "kiosk.po").is_file()
    assert code in LAYOUTS and code in HAS_CASE and code in SHORT_NAMES
    assert code in LABELS
    assert Speaker("espeak-ng").command("Hallo", code)[1:3] == ["-v", languages.BY_CODE[code].voice]


def test_a_station_offers_all_languages_unless_it_says_otherwise(tmp_path):
    path = tmp_path / "station.toml"
    path.write_text("", encoding="utf-8")
    assert config.load(path).station.languages == CODES


def test_the_command_line_offers_the_same_languages():
    result = subprocess.run([sys.executable, "-m", "kiosk", "admin", "offers", "--lang", "fr"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert "invalid choice: 'fr'" in result.stderr
    assert all(repr(code) in result.stderr for code in CODES)

"""Read-aloud in the real kiosk: what each screen says in each language, where Arabic has no button,
and the warning before the idle reset spoken to a visitor who listens (and to nobody else)."""

from __future__ import annotations

import re
import shutil

import pytest

from kiosk.offers.spoken import spoken_when
from kiosk.ui import i18n
from kiosk.ui.app import SCREENSHOT_SCREENS

from tests.ui.conftest import sample_kiosk

ARABIC_MARKS = re.compile("[\u064b-\u0652]")


@pytest.fixture(scope="module")
def kiosk(module_dir):
    with sample_kiosk(module_dir) as driver:
        yield driver


@pytest.fixture(autouse=True)
def fresh(kiosk):
    kiosk.app.idle_reset()
    kiosk.app.idle.last_touch = kiosk.clock()
    kiosk.speaker.said.clear()
    kiosk.pump(2)


def test_an_offer_is_read_with_its_days_and_hours_in_words(kiosk):
    kiosk.show("offer")
    offer = kiosk.app.sm.current_screen.offer()
    kiosk.tap("speak")
    lang, said = kiosk.speaker.said[-1]
    assert lang == "de" and spoken_when(offer, "de", kiosk.app.now()) in said
    assert not re.search(r"\d:\d\d", said)                             # no "09:00"


def test_arabic_reads_every_interface_screen_vowelled_and_offers_no_button_for_free_text(kiosk):
    kiosk.app.set_language("ar")
    i18n.current.unspoken.clear()
    spoken, hidden = {}, []
    for name in SCREENSHOT_SCREENS:
        screen = kiosk.show(name)
        if kiosk.app.sm.current_screen.free_text:
            assert "speak" not in kiosk.app.bar.buttons, f"{name}: a button that would read unvowelled Arabic"
            hidden.append(name)
            continue
        kiosk.speaker.said.clear()
        kiosk.tap("speak")
        lang, said = kiosk.speaker.said[-1]
        assert lang == "ar" and ARABIC_MARKS.search(said), f"{name}: {said!r}"
        spoken[screen] = said
    assert hidden == ["offer_list", "offer", "wall"]
    assert i18n.current.unspoken == set(), "add these to kiosk/ui/locale/ar/LC_MESSAGES/spoken.po"
    if shutil.which("espeak-ng"):
        from tests.test_spoken import Ear

        assert Ear("ar").problems(sorted(set(spoken.values()))) == []


def test_the_idle_warning_speaks_only_to_a_visitor_who_asked_for_the_voice(kiosk):
    kiosk.app.go("offers")
    kiosk.app.idle.touched()
    kiosk.clock.advance(50)
    kiosk.app._tick()
    assert kiosk.app.idle_warning.shown and kiosk.speaker.said == []     # never asked: not spoken to
    kiosk.tap("all")                                                     # the touch that keeps the visit
    kiosk.app.go("offers")
    kiosk.tap("speak")
    kiosk.clock.advance(50)
    kiosk.app._tick()
    kiosk.app._tick()
    warnings = [said for _lang, said in kiosk.speaker.said if "Bist du noch da?" in said]
    assert warnings == ["Bist du noch da? Tippe, um weiterzumachen. In 10 Sekunden geht es zurück zum Start."]
    kiosk.clock.advance(10)
    kiosk.app._tick()                                                    # the reset: the next visitor is new
    assert kiosk.app.current == "home" and not kiosk.app.voice_used

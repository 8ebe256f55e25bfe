"""The kiosk driven by simulated touches: every screen, an idea typed on the keyboard, idle reset, staff PIN."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import catalogs
from kiosk.ui.driver import Driver
from kiosk.ui.i18n import current as i18n
from kiosk.ui.store import UiStore
from kiosk.ui.staff import PinGuard

from tests.ui.conftest import FakeClock, sample_kiosk, write_config


@pytest.fixture(scope="module")
def kiosk(module_dir):
    """One app for the module: no broker, a clock the tests move, a speaker that records."""
    with sample_kiosk(module_dir, pin="2468") as driver:
        yield driver


@pytest.fixture(autouse=True)
def fresh(kiosk):
    kiosk.app.idle_reset()
    kiosk.app.idle.last_touch = kiosk.clock()
    kiosk.app.dimmer.set(False)
    kiosk.pump(2)
    yield


def test_two_taps_to_todays_offers(kiosk):
    kiosk.tap("offers")
    assert kiosk.app.current == "offers"
    kiosk.tap("today")
    assert kiosk.app.current == "offer_list"
    assert kiosk.app.query.today
    kiosk.tap(next(w for w in kiosk.visible() if getattr(w, "tag", "").startswith("offer:")))
    assert kiosk.app.current == "offer"
    qr = [w for w in kiosk.visible() if type(w).__name__ == "QRCode"]
    assert qr and qr[0].matrix


def test_finder_picture_buttons_and_back(kiosk):
    kiosk.tap("offers")
    kiosk.tap("audience:children")
    assert kiosk.app.query.audience == "children"
    kiosk.tap("chip:audience")
    assert kiosk.app.query.audience is None
    kiosk.tap("back")
    assert kiosk.app.current == "offers"
    kiosk.tap("topic:health")
    assert kiosk.app.query.topic == "health"
    kiosk.tap("home")
    assert kiosk.app.current == "home"


def test_every_screen_is_reachable_by_touch(kiosk):
    seen = set()
    for tile in ("offers", "idea", "booth", "herbs"):
        kiosk.tap(tile)
        seen.add(kiosk.app.current)
        kiosk.tap("home")
    kiosk.tap("idea")
    kiosk.tap("to_wall")
    seen.add(kiosk.app.current)
    kiosk.tap("new_idea")
    kiosk.tap("category:green")
    seen.add(kiosk.app.current)
    assert seen == {"offers", "idea", "booth", "herbs", "wall", "idea_text"}


def test_an_idea_typed_on_the_keyboard_is_stored(kiosk):
    ideas = kiosk.app.ideas
    before = len(ideas.pending())
    kiosk.tap("idea")
    kiosk.tap("category:play")
    kiosk.type_text("Mehr Bänke, bitte ß")
    assert kiosk.app.draft.text == "Mehr Bänke, bitte ß"
    kiosk.tap("next")
    assert kiosk.app.current == "idea_contact"
    kiosk.type_text("0170 1")
    kiosk.tap("send")                        # a contact without consent is refused
    assert kiosk.app.current == "idea_contact"
    assert kiosk.app.draft.error == "contact_without_consent"
    kiosk.tap("consent")
    kiosk.tap("send")
    assert kiosk.app.current == "idea_thanks"
    pending = ideas.pending()
    assert len(pending) == before + 1
    assert pending[-1].text == "Mehr Bänke, bitte ß" and pending[-1].category == "play" and pending[-1].has_contact


def test_turkish_and_arabic_keys(kiosk):
    kiosk.app.set_language("tr")
    kiosk.pump(2)
    kiosk.tap("idea")
    kiosk.tap("category:other")
    kiosk.type_text("ış")
    kiosk.tap(kiosk.app.sm.current_screen.keyboard.keys["shift"])
    kiosk.tap(kiosk.app.sm.current_screen.keyboard.keys["İ"])
    assert kiosk.app.draft.text == "ışİ"
    kiosk.tap("key:layout")               # tr -> ar (the station's order is de en tr ar uk)
    kiosk.type_text("سلام")
    assert kiosk.app.draft.text == "ışİسلام"


def test_idle_reset_forgets_a_half_typed_idea(kiosk):
    kiosk.tap("idea")
    kiosk.tap("category:clean")
    kiosk.type_text("halb")
    kiosk.app.set_language("uk")
    kiosk.pump(2)
    assert kiosk.app.draft.text == "halb"
    kiosk.clock.advance(kiosk.config.ui.idle_reset_s - 1)
    kiosk.app._tick()
    assert kiosk.app.current == "idea_text"
    kiosk.clock.advance(2)
    kiosk.app._tick()
    kiosk.pump(2)
    assert kiosk.app.current == "home"
    assert kiosk.app.draft.text == "" and kiosk.app.lang == "de"
    kiosk.tap("idea")
    kiosk.tap("category:clean")
    assert kiosk.app.sm.current_screen.box_label.raw != "halb|"


def test_screen_dims_and_the_first_touch_only_wakes(kiosk):
    kiosk.clock.advance(kiosk.config.ui.dim_after_s + 1)
    kiosk.app._tick()
    assert kiosk.app.dimmer.active
    kiosk.tap("offers")                        # wakes, does not open offers
    assert not kiosk.app.dimmer.active and kiosk.app.current == "home"
    kiosk.tap("offers")
    assert kiosk.app.current == "offers"


def test_motion_sensor_wakes_the_screen(module_dir):
    from gpiozero import Device
    from gpiozero.pins.mock import MockFactory
    from kiosk.ui.app import KioskApp

    factory = MockFactory()
    previous = Device.pin_factory
    Device.pin_factory = factory
    try:
        config = write_config(module_dir / "pir", extra="pir_pin = 4")
        clock = FakeClock()
        app = KioskApp(config, size=(800, 480), connect=False, clock=clock, pin_factory=factory, offers=[])
        driver = Driver(app).start()
        try:
            clock.advance(config.ui.dim_after_s + 1)
            app._tick()
            assert app.dimmer.active
            # gpiozero samples the PIR in its own thread and fires on an edge only: let it see
            # the empty street first, or a first sample that is already "motion" wakes nothing.
            assert app.pir.wait_for_no_motion(timeout=2)
            factory.pin(4).drive_high()
            assert driver.until(lambda: not app.dimmer.active, 3.0)
        finally:
            driver.stop()
    finally:
        Device.pin_factory = previous


def enter_pin(kiosk, digits: str) -> None:
    """Type `digits` on the PIN pad, tap OK and wait for the answer (the check runs in the background)."""
    for digit in digits:
        kiosk.tap(f"pin:{digit}", frames=1)
    kiosk.tap("pin:ok")
    pad = kiosk.app.screens.build("staff_pin")
    assert kiosk.until(lambda: not pad.checking, 10), "the PIN check did not answer"
    kiosk.pump(2)


def test_staff_pin_lockout_holds(kiosk):
    kiosk.app.go("staff_pin")
    kiosk.pump(2)
    for attempt in range(5):
        enter_pin(kiosk, "1111")
    assert kiosk.app.current == "staff_pin" and not kiosk.app.staff
    enter_pin(kiosk, "2468")                 # the right PIN, but locked
    assert not kiosk.app.staff
    assert "5" in kiosk.app.screens.build("staff_pin").message.raw
    restarted = PinGuard(UiStore.open(kiosk.config), lockout_s=300, clock=kiosk.clock)
    assert restarted.locked_for() > 0
    restarted.store.close()
    kiosk.clock.advance(301)
    enter_pin(kiosk, "2468")
    assert kiosk.app.staff and kiosk.app.current == "staff"


def test_the_pin_is_checked_and_counted_off_the_ui_thread(kiosk, monkeypatch):
    """scrypt (16 MiB) and the write of the try count (with its fsync) never hold up a frame."""
    import hashlib
    import threading

    kiosk.app.guard.unlock()
    real_scrypt, ran = hashlib.scrypt, []

    def scrypt(*args, **kwargs):
        ran.append(("scrypt", threading.current_thread()))
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", scrypt)
    writer = kiosk.app.store.db._writer        # every statement on ui.sqlite's one write connection
    writer.set_trace_callback(lambda sql: ran.append((sql, threading.current_thread())))
    try:
        kiosk.app.go("staff_pin")
        kiosk.pump(2)
        enter_pin(kiosk, "1357")
        assert not kiosk.app.staff
        assert kiosk.app.screens.build("staff_pin").message.raw == "Falsche PIN. Noch 4 Versuche."
        enter_pin(kiosk, "2468")
        assert kiosk.app.staff and kiosk.app.current == "staff"
    finally:
        writer.set_trace_callback(None)
    assert [what for what, _thread in ran].count("scrypt") == 2
    assert any("UPDATE pin_guard" in what for what, _thread in ran)
    assert [what for what, thread in ran if thread is threading.main_thread()] == []


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)
BOOTH_EVENTS = st.fixed_dictionaries(
    {"type": st.sampled_from(["register", "registered", "session_start", "session_end", "checkout", "return",
                              "denied", "staff"]) | JSON},
    optional={"mode": st.sampled_from(["off", "books", "cards"]) | JSON, "card": st.sampled_from(["Team 1", ""]) | JSON,
              "reason": st.sampled_from(["timeout", "closed"]) | JSON, "staff": JSON, "ts": st.just("2026-11-25T09:00:00Z") | JSON, "book": JSON})


def is_staff_card_tap(event: dict) -> bool:
    # What the booth sends for a staff card held to its reader: register mode turned on by that card.
    return (event["type"] == "register" and event.get("mode") in ("books", "cards") and "reason" not in event
            and isinstance(event.get("card"), str) and event["card"].strip() != "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=BOOTH_EVENTS)
def test_only_a_staff_card_tap_opens_staff_mode(kiosk, event):
    app = kiosk.app
    app.staff = False
    app.live.apply(app.live.topics.booth_events(), event)
    assert not app.staff or is_staff_card_tap(event)


def tap_in_list(kiosk, tag):
    """Scroll a staff list to the button first, as staff would: earlier tests leave many ideas waiting."""
    from kivy.uix.scrollview import ScrollView

    widget = kiosk.find(tag)
    scroll = widget.parent
    while scroll is not None and not isinstance(scroll, ScrollView):
        scroll = scroll.parent
    if scroll is not None:
        scroll.scroll_to(widget, padding=10, animate=False)
        kiosk.pump(2)
    kiosk.tap(tag)


def test_staff_mode_moderates_ideas_and_closes_on_idle(kiosk):
    ideas = kiosk.app.ideas
    idea = ideas.submit("Ein Bücherregal im Park", "other")
    kiosk.app.open_staff()
    kiosk.pump(2)
    for tab in ("plot", "loans", "sensors", "ideas"):
        kiosk.tap(f"tab:{tab}")
        assert kiosk.app.screens.build("staff").tab == tab
    tap_in_list(kiosk, f"idea:{idea.id}:approve")
    assert ideas.get(idea.id).state == "approved"
    tap_in_list(kiosk, f"idea:{idea.id}:implemented")
    assert ideas.get(idea.id).status == "implemented"
    kiosk.clock.advance(kiosk.config.ui.idle_reset_s + 1)
    kiosk.app._tick()
    assert not kiosk.app.staff and kiosk.app.current == "home"
    kiosk.tap("idea")
    kiosk.tap("to_wall")
    kiosk.pump(3)
    rows = [w for w in kiosk.visible() if type(w).__name__ == "IdeaRow" and w.idea_id == idea.id]
    assert rows and rows[0].badge_label.raw == "Umgesetzt!"


def test_plus_one_once_per_visit(kiosk):
    ideas = kiosk.app.ideas
    idea = ideas.submit("Tischtennisplatte", "play")
    ideas.moderate(idea.id, "approve")
    kiosk.tap("idea")
    kiosk.tap("to_wall")
    kiosk.pump(3)
    kiosk.tap(f"plus:{idea.id}")
    kiosk.pump(2)
    kiosk.tap(f"plus:{idea.id}")
    assert ideas.get(idea.id).plus_ones == 1
    kiosk.app.idle_reset()                    # the next visitor may give one too
    kiosk.tap("idea")
    kiosk.tap("to_wall")
    kiosk.pump(3)
    kiosk.tap(f"plus:{idea.id}")
    assert ideas.get(idea.id).plus_ones == 2


def test_language_by_touch_and_read_aloud(kiosk):
    kiosk.tap("lang:ar")
    assert kiosk.app.lang == "ar"
    kiosk.tap("language")
    kiosk.tap("lang:uk")
    assert kiosk.app.lang == "uk"
    kiosk.tap("speak")
    lang, said = kiosk.speaker.said[-1]
    assert lang == "uk" and "Батенброк" in said


def test_escape_and_close_requests_are_ignored(kiosk):
    from kivy.core.window import Window
    assert Window.dispatch("on_keyboard", 27, 0, None, [], None) is True
    assert kiosk.app._close_requested() is True


def test_no_untranslated_text_on_any_screen(kiosk):
    """Visit every screen in every language; no UI string may fall back to English."""
    from kiosk.ui.app import SCREENSHOT_SCREENS
    i18n.missing.clear()
    english = {msgid for _context, msgid in catalogs.extract()}
    for lang in ("de", "tr", "ar", "uk", "en"):
        kiosk.app.set_language(lang)
        for name in SCREENSHOT_SCREENS:
            kiosk.show(name)
            if lang != "en":
                same = {l.raw for l in kiosk.labels() if not l.data} & english
                allowed = {"OK", "Oregano", "Start", "Staff"} & {m for m in same
                                                                   if i18n.gettext(m, lang) == m}
                assert same <= allowed, f"{lang}/{name}: English left on screen: {same - allowed}"
    assert i18n.missing == set()


def test_wall_rows_scroll_under_the_header(kiosk, tmp_path):
    """Rows scrolled up out of the list are cut at its edge, not drawn over the words above it."""
    from kivy.core.image import Image as CoreImage

    import time
    from kiosk.ideas import IdeaStore

    ideas = kiosk.app.ideas
    # twelve ideas handed in over a day two days ago (one visitor may not hand in twelve at once)
    days_ago = iter(time.time() - 2 * 86400 + i * 600 for i in range(12))
    earlier = IdeaStore(ideas.db, clock=lambda: next(days_ago))
    for i in range(12):
        ideas.moderate(earlier.submit(f"Idee Nummer {i} für den Spielplatz", "play").id, "approve")
    kiosk.tap("idea")
    kiosk.tap("to_wall")
    kiosk.pump(3)
    wall = kiosk.app.screens.build("wall").list
    height = kiosk.app.root_box.height
    top = int(wall.to_window(wall.x, wall.top)[1])

    def shot(name):
        kiosk.app.save_png(tmp_path / name)
        image = CoreImage(str(tmp_path / name), keep_data=True)
        above = [tuple(image.read_pixel(x, height - top - dy)) for dy in range(2, 40, 3) for x in range(0, 800, 7)]
        inside = [tuple(image.read_pixel(x, height - top + dy)) for dy in range(2, 80, 3) for x in range(0, 800, 7)]
        return above, inside

    above_before, inside_before = shot("before.png")
    span = wall.children[0].height - wall.height
    row = wall.children[0].default_size[1] + wall.children[0].spacing
    wall.scroll_y = 1 - (2 * row + row / 2) / span        # the third row cut through its middle
    kiosk.pump(3)
    above_after, inside_after = shot("after.png")
    assert inside_after != inside_before, "the list did not scroll"
    assert above_after == above_before


def test_labels_sharing_textures_each_show_their_own_words(kiosk):
    """The wall's status and +1 labels share textures between recycled rows: each must still show its
    own words, also when a label changes twice before the next frame."""
    from kiosk.ui.widgets import KLabel

    def show(made, words):
        made.raw = words
        made.fit_now()
        made.texture_update()
        return made

    def label(words, shared):
        return show(KLabel(raw="", lang="de", bold=True, align="center", shared=shared, size_hint=(None, None),
                           size=(120, 40)), words)

    def pixels(made):
        return made.texture.pixels

    first, second = label("Neu", True), label("+3", True)
    kiosk.pump(1)
    show(first, "+3")                         # swapped: each now shows the other's texture
    show(second, "Neu")
    show(first, "In Arbeit")                  # and changed twice more before anything is drawn
    show(first, "+4")
    kiosk.pump(1)
    assert pixels(second) == pixels(label("Neu", False))
    assert pixels(first) == pixels(label("+4", False))
    assert pixels(label("In Arbeit", True)) == pixels(label("In Arbeit", False))


def an_hour_later(ideas):
    """Earlier tests' ideas become an hour old, so the kiosk's burst limit (3 a minute) lets a new one in.
    The store runs on the real clock, which the module's fake clock does not move."""
    ideas.db.write(lambda conn: conn.execute("UPDATE ideas SET created_s = created_s - 3600"))


def test_the_thank_you_screen_names_the_ideas_number(kiosk):
    an_hour_later(kiosk.app.ideas)
    kiosk.tap("idea")
    kiosk.tap("category:green")
    kiosk.type_text("Blumen am Zaun")
    kiosk.tap("next")
    kiosk.tap("send_anonymous")
    assert kiosk.app.current == "idea_thanks"
    [idea] = [i for i in kiosk.app.ideas.pending() if i.text == "Blumen am Zaun"]
    shown = [label.raw for label in kiosk.labels()]
    assert f"Deine Idee hat die Nummer {idea.number}." in shown
    assert kiosk.app.ideas.language_of(idea.id) == "de"
    assert not kiosk.overflowing()


def test_staff_answer_on_the_kiosk_and_passers_by_read_it_on_the_wall(kiosk):
    ideas = kiosk.app.ideas
    an_hour_later(ideas)
    idea = ideas.submit("Ein Trinkbrunnen am Spielplatz", "play")
    ideas.moderate(idea.id, "approve")
    kiosk.app.open_staff()
    kiosk.pump(2)
    kiosk.tap("tab:ideas")
    tap_in_list(kiosk, f"idea:{idea.id}:not_possible")
    tap_in_list(kiosk, f"idea:{idea.id}:answer")
    kiosk.type_text("Leider kein Wasser")
    kiosk.tap("answer:save")
    assert (ideas.get(idea.id).status, ideas.get(idea.id).answer) == ("not_possible", "Leider kein Wasser")
    assert kiosk.app.screens.build("staff").feedback == "Gespeichert."
    kiosk.tap("leave")
    kiosk.tap("idea")
    kiosk.tap("to_wall")
    kiosk.pump(3)
    [row] = [w for w in kiosk.visible() if type(w).__name__ == "IdeaRow" and w.idea_id == idea.id]
    assert (row.badge_label.raw, row.answer.raw) == ("Nicht möglich", "Unsere Antwort: Leider kein Wasser")
    assert row.answer.height > 0 and row.answer.opacity > 0

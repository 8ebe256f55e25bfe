"""Staff commands to the booth and the garden as every face builds them, and what their replies mean."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kiosk.booth import staff_commands as booth
from kiosk.errors import BadValue, NotFoundError
from kiosk.garden import staff_commands as garden
from kiosk.garden.calibration import calibrate_node
from kiosk.garden.store import GardenStore

ROOT = Path(__file__).resolve().parents[1]


def test_a_calibration_is_answered_with_its_raw_value_or_in_plain_words():
    request = garden.calibrate("bed-1", "dry")
    assert (request.service, request.name, request.payload) == ("garden", "calibrate", {"node": "bed-1", "point": "dry"})
    assert request.outcome({"ok": True, "raw": 50500}).text() == "Saved: raw value 50500."
    silent = request.outcome(None, "garden did not answer 'calibrate' within 5 s; is it running?")
    assert (silent.ok, silent.text()) == (False, "That did not work: the garden service does not answer.")
    refused = request.outcome({"ok": False, "error": "no reading from node 'bed-1' yet"}, "no reading")
    assert (refused.ok, refused.text()) == (False, "The garden service did not accept that.")
    assert "no reading" in refused.detail          # for the log, never for the screen


def test_acknowledging_says_whether_the_reminders_stop():
    request = garden.acknowledge("bed-1")
    assert request.outcome({"ok": True, "active": True, "acknowledged": True}).text() \
        == "Thank you! The reminders stop until the bed's state changes."
    assert request.outcome({"ok": True, "active": False}).text() == "There is no alert for this bed right now."


def test_the_outcome_is_worded_in_the_faces_language():
    german = {"Done.": "Erledigt."}
    assert booth.block("Lesefuchs 17").outcome({"ok": True}).text(lambda m: german.get(m, m)) == "Erledigt."


def test_booth_requests_carry_clean_values():
    assert booth.block(" Lesefuchs\x1b[31m 17 ", blocked=False).payload == {"card": "Lesefuchs 17", "blocked": False}
    assert booth.title(7, "Das\u202e Sams").payload == {"book": 7, "title": "Das Sams"}
    assert booth.register("cards").payload == {"mode": "cards"}


@given(card=st.text(max_size=40) | st.none() | st.integers(), mode=st.text(max_size=10) | st.none(),
       book=st.integers() | st.text(max_size=5) | st.booleans(), title=st.text(max_size=40) | st.none(),
       point=st.text(max_size=10) | st.none())
def test_any_staff_input_builds_a_request_or_one_clear_refusal(card, mode, book, title, point):
    for build in (lambda: booth.block(card), lambda: booth.register(mode), lambda: booth.title(book, title),
                  lambda: garden.calibrate("bed-1", point), lambda: garden.acknowledge(card)):
        try:
            request = build()
        except BadValue as refused:
            assert str(refused) and "\n" not in str(refused)
        else:
            assert request.outcome(None).ok is False and request.outcome({"ok": True}, "").ok


def test_the_calibration_task_speaks_of_points_not_flags(make_config):
    config = make_config()
    with GardenStore.open(config) as store:
        with pytest.raises(BadValue) as wrong:
            calibrate_node(config, store, "bed-1", "moist", 0.0)
        with pytest.raises(NotFoundError):
            calibrate_node(config, store, "bed-9", "dry", 0.0)
    assert "dry point" in str(wrong.value) and "--" not in str(wrong.value)


def test_the_garden_database_task_does_not_load_the_garden_service():
    loaded = subprocess.run([sys.executable, "-c", "import sys, kiosk.garden.admin, kiosk.ideas.admin; "
                             "print(' '.join(sorted(sys.modules)))"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    modules = set(loaded.stdout.split())
    assert "kiosk.garden.admin" in modules
    assert not modules & {"kiosk.garden.service", "kiosk.ideas.commands", "kiosk.cli"}

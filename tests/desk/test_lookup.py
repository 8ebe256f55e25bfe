"""Looking a book up by ISBN against local stand-ins of the DNB and Open Library: what staff
get for a known book, for one nobody knows, and when a service is slow, broken or offline."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.booth.rules import AGE_GROUPS
from kiosk.booth.details import MAX_FIELD, MAX_TITLE
from kiosk.clock import utc_now
from kiosk.desk import dnb, facts as facts_mod, lookup as lookup_mod
from kiosk.desk.lookup import BookFacts, Finding, Lookup
from kiosk.errors import BadIsbn
from kiosk.text import clean_line, is_removed
from tests.desk import stand_ins as stand_ins_mod
from tests.desk.conftest import GRUFFALO, SAMS, desk_config


class Clock:
    def __init__(self):
        self.now = utc_now()

    def __call__(self):
        return self.now


@pytest.fixture
def desk(tmp_path, stand_ins):
    stand_ins.add_book(**SAMS)
    stand_ins.add_book(**GRUFFALO)
    clock = Clock()
    with Lookup(desk_config(tmp_path, stand_ins), clock=clock) as lookup:
        lookup.clock_ = clock
        yield lookup


def cached_rows(lookup: Lookup) -> int:
    return lookup.store.count()


def test_a_german_childrens_book_is_found_at_the_dnb_with_everything_staff_would_type(desk, stand_ins):
    finding = desk.find("3-7891-4206-9")         # typed as the ISBN-10 on the back
    assert finding == Finding(BookFacts(isbn="9783789142062", title="Eine Woche voller Samstage",
                                        author="Paul Maar", publisher="Oetinger", year="1973", age_group="7-9",
                                        source="dnb", cover="9783789142062.jpg"), "found")
    assert finding.found
    assert stand_ins.count("openlibrary") == 0       # the DNB knew it: nobody else is asked


def test_a_book_the_dnb_does_not_know_comes_from_open_library(desk, stand_ins):
    finding = desk.find("9780333710937")
    assert finding.reason == "found"
    assert finding.facts == BookFacts(isbn="9780333710937", title="The Gruffalo", author="Julia Donaldson",
                                      publisher="Macmillan", year="1999", age_group="4-6", source="openlibrary")
    assert stand_ins.count("dnb") == 1 and stand_ins.count("openlibrary") == 1


def test_a_second_look_up_comes_from_the_cache_also_after_a_restart(desk, stand_ins, tmp_path):
    first = desk.find("9783789142062")
    asked = len(stand_ins.requests)
    assert desk.find("978-3-7891-4206-2") == first
    with Lookup(desk.config) as again:                 # a new process: the console restarted
        assert again.find("9783789142062") == first
    assert len(stand_ins.requests) == asked


def test_a_found_book_is_asked_again_only_after_half_a_year(desk, stand_ins):
    desk.find("9783789142062")
    desk.clock_.now += lookup_mod.FOUND_KEEP - timedelta(minutes=1)
    desk.find("9783789142062")
    assert stand_ins.count("dnb") == 1
    desk.clock_.now += timedelta(minutes=2)
    desk.find("9783789142062")
    assert stand_ins.count("dnb") == 2


def test_an_isbn_nobody_knows_is_unknown_and_asked_again_the_next_day(desk, stand_ins):
    assert desk.find("9780306406157") == Finding(None, "unknown")
    assert desk.find("9780306406157") == Finding(None, "unknown")
    assert stand_ins.count("dnb") == 1 and stand_ins.count("openlibrary") == 1
    stand_ins.add_book("9780306406157", "Later catalogued", source="openlibrary")
    desk.clock_.now += lookup_mod.UNKNOWN_KEEP + timedelta(seconds=1)
    assert desk.find("9780306406157").facts.title == "Later catalogued"


def test_slow_services_give_unreachable_within_the_budget_and_nothing_is_cached(tmp_path, stand_ins):
    stand_ins.add_book(**SAMS)
    stand_ins.mode = "slow"
    with Lookup(desk_config(tmp_path, stand_ins, timeout_s=1.0)) as desk:
        assert desk.find("9783789142062") == Finding(None, "unreachable")
        assert stand_ins.count("dnb") == 1 and stand_ins.count("openlibrary") == 1   # both were asked
        assert cached_rows(desk) == 0
        stand_ins.mode = "normal"
        assert desk.find("9783789142062").found          # the next try asks again


def test_a_slow_dnb_leaves_open_library_time_to_answer(tmp_path, stand_ins):
    stand_ins.add_book(**GRUFFALO)
    stand_ins.modes["dnb"] = "slow"
    with Lookup(desk_config(tmp_path, stand_ins, timeout_s=1.5)) as desk:
        finding = desk.find("9780333710937")
    assert finding.reason == "found" and finding.facts.source == "openlibrary"


@pytest.mark.parametrize("mode", ["garbage", "html", "error", "huge"])
def test_a_broken_dnb_is_passed_over_for_open_library(tmp_path, stand_ins, mode):
    stand_ins.add_book(**{**SAMS, "source": "both"})
    stand_ins.modes["dnb"] = mode
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        finding = desk.find("9783789142062")
    assert finding.facts.source == "openlibrary" and finding.facts.title == "Eine Woche voller Samstage"


@pytest.mark.parametrize("mode", ["garbage", "html", "error", "huge", "redirect"])
def test_broken_services_give_unreachable_and_leave_no_trace(tmp_path, stand_ins, mode):
    stand_ins.add_book(**SAMS)
    stand_ins.mode = mode
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        assert desk.find("9783789142062") == Finding(None, "unreachable")
        assert cached_rows(desk) == 0
    covers = tmp_path / "data" / "covers"
    assert not covers.exists() or list(covers.iterdir()) == []


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
                            for i in range(1, 10))
                  + ']>\n<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/">&lol9;'
                    '</searchRetrieveResponse>').encode()


def test_a_50_mb_answer_is_cut_off_at_the_cap_not_read_to_the_end(tmp_path, stand_ins):
    stand_ins.mode = "huge"
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        assert desk.find("9783789142062") == Finding(None, "unreachable")
    deadline = time.monotonic() + 10
    while len(stand_ins.huge_sent) < 2 and time.monotonic() < deadline:   # both handlers have given up
        time.sleep(0.01)
    assert len(stand_ins.huge_sent) == 2
    assert all(sent < stand_ins_mod.HUGE_BYTES / 2 for sent in stand_ins.huge_sent)


def test_a_dnb_answer_declaring_entities_is_refused_unparsed(tmp_path, stand_ins):
    stand_ins.add_book(**{**SAMS, "source": "openlibrary"})
    stand_ins.modes["dnb"] = "body"
    stand_ins.body, stand_ins.content_type = BILLION_LAUGHS, "application/xml"
    with Lookup(desk_config(tmp_path, stand_ins)) as desk:
        assert desk.find("9783789142062").facts.source == "openlibrary"
    assert stand_ins.count("dnb") == 1


def test_offline_by_setting_asks_nobody(tmp_path, stand_ins):
    stand_ins.add_book(**SAMS)
    with Lookup(desk_config(tmp_path, stand_ins, online=False)) as desk:
        assert desk.find("9783789142062") == Finding(None, "unreachable")
    assert stand_ins.requests == []


def test_a_service_that_is_not_there_at_all_is_unreachable(tmp_path, stand_ins):
    config = desk_config(tmp_path, stand_ins)
    dead = config.desk.__class__(dnb_url="http://127.0.0.1:9/sru", openlibrary_url="http://127.0.0.1:9/api",
                                 covers_url="", lookup_timeout_s=1.0)
    with Lookup(type(config)(station=config.station, desk=dead, source=config.source)) as desk:
        assert desk.find("9783789142062") == Finding(None, "unreachable")


def test_a_name_server_that_never_answers_still_ends_the_look_up(tmp_path, stand_ins, monkeypatch):
    # The Pi's uplink is gone and its DNS server does not answer: socket timeouts do not cover the
    # name look-up, so it is stood in for here by a getaddrinfo that waits until released.
    stand_ins.add_book(**SAMS)
    released = threading.Event()
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: released.wait(30) and real(*a, **k))
    try:
        with Lookup(desk_config(tmp_path, stand_ins, timeout_s=0.5)) as desk:
            assert desk.find("9783789142062") == Finding(None, "unreachable")
            assert cached_rows(desk) == 0
        assert stand_ins.requests == []      # no request got through
    finally:
        released.set()


def test_a_wrong_isbn_is_refused_before_anyone_is_asked(desk, stand_ins):
    with pytest.raises(BadIsbn) as caught:
        desk.find("978-3-7891-4206-3")
    assert caught.value.kind == "checksum"
    assert stand_ins.requests == []


def test_what_a_catalogue_says_is_cleaned_and_cut_to_the_booths_limits(desk, stand_ins):
    stand_ins.add_book("9780804429573", "\x1b[31mDer \u202eunsichtbare\u202c Titel " + "lang " * 100,
                       "Nachname, Vorname\x07", publisher="Verlag " * 40, year="ca. 2019",
                       source="openlibrary")       # JSON may carry control characters, XML may not
    facts = desk.find("9780804429573").facts
    assert facts.title.startswith("Der unsichtbare Titel lang") and len(facts.title) <= MAX_TITLE
    assert facts.author == "Vorname Nachname"
    assert len(facts.publisher) <= MAX_FIELD and facts.year == "2019"


def test_the_dnbs_decomposed_letters_and_sorting_marks_read_as_typed(desk, stand_ins):
    # The DNB delivers UTF-8 decomposed (NFD) and marks an article not to sort by with U+0098/U+009C.
    stand_ins.add_book("9780804429573", "\u0098Die\u009c kleine Hexe", "Preußler, Otfried".replace("ß", "ss"),
                       publisher="Thienemann", subjects=("Ma\u0308rchen",))
    stand_ins.dnb["9780804429573"].title = "\u0098Die\u009c Ma\u0308dchen vom Ku\u0308rbishof"
    facts = desk.find("9780804429573").facts
    assert facts.title == "Die M\u00e4dchen vom K\u00fcrbishof"
    assert facts.age_group == ""              # fairy tales say nothing about an age


def test_the_dnbs_subject_group_for_childrens_books_suggests_the_middle_group(desk, stand_ins):
    stand_ins.add_book("9780804429573", "Ohne Altersangabe", "Boie, Kirsten", subjects=("Kinderbuch",))
    assert desk.find("9780804429573").facts.age_group == "7-9"


# --- anything a source may send ------------------------------------------------------------

def check_finding(finding: Finding) -> None:
    assert finding.reason in ("found", "unknown", "unreachable")
    if finding.found:
        facts = finding.facts
        assert facts.title and len(facts.title) <= MAX_TITLE
        for text in (facts.title, facts.author, facts.publisher):      # as the station's one cleaner leaves text
            assert text == clean_line(text) and not any(is_removed(c) for c in text)
        assert len(facts.author) <= MAX_FIELD and len(facts.publisher) <= MAX_FIELD
        assert facts.age_group in AGE_GROUPS + ("",)
        assert facts.year == "" or (len(facts.year) == 4 and facts.year.isdigit())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=2000), kind=st.sampled_from(["application/xml", "text/xml", "text/html"]))
def test_any_bytes_from_the_dnb_give_a_finding(stand_ins, body, kind):
    stand_ins.modes["dnb"] = "body"
    stand_ins.body, stand_ins.content_type = body, kind
    with tempfile.TemporaryDirectory() as folder, Lookup(desk_config(Path(folder), stand_ins)) as desk:
        finding = desk.find("9783789142062")
        check_finding(finding)
        assert (cached_rows(desk) == 0) == (finding.reason == "unreachable")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(["title", "authors", "name", "publishers", "subjects",
                                                              "publish_date", "x"]), inner, max_size=5),
                           max_leaves=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=500),
                      json_values.map(lambda v: __import__("json").dumps({"ISBN:9783789142062": v}).encode())))
def test_any_answer_from_open_library_gives_a_finding(stand_ins, body):
    stand_ins.modes["openlibrary"] = "body"
    stand_ins.body, stand_ins.content_type = body, "application/json"
    with tempfile.TemporaryDirectory() as folder, Lookup(desk_config(Path(folder), stand_ins)) as desk:
        check_finding(desk.find("9783789142062"))


xml_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff")
                   .filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20), max_size=300)


@given(title=xml_text, author=xml_text, publisher=xml_text, year=xml_text, audience=xml_text,
       subjects=st.lists(xml_text, max_size=3))
def test_any_text_in_a_dnb_record_gives_facts_within_the_booths_limits(title, author, publisher, year,
                                                                     audience, subjects):
    book = stand_ins_mod.Book("9783789142062", title, author, publisher, year, tuple(subjects), audience)
    facts = dnb.parse(stand_ins_mod.dnb_answer([book], "num=9783789142062"), "9783789142062")
    if facts is None:
        assert facts_mod.title_text(title) == ""     # nothing left of the title once cleaned
    else:
        check_finding(Finding(facts, "found"))


def test_a_cache_row_that_cannot_be_read_back_is_asked_again(desk, stand_ins):
    desk.store.db.execute_write("INSERT INTO lookups VALUES ('9783789142062', 'found', '{\"isbn\": 1}', ?, ?)",
                                ("x", "2999-01-01T00:00:00Z"))
    assert desk.find("9783789142062").facts.title == "Eine Woche voller Samstage"
    assert stand_ins.count("dnb") == 1

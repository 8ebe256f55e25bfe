"""What a catalogue writes, as staff see it: names in reading order, a year, an age group."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kiosk.booth.rules import AGE_GROUPS
from kiosk.booth.details import MAX_FIELD, MAX_TITLE
from kiosk.desk import facts


@pytest.mark.parametrize("written, shown", [
    ("Maar, Paul", "Paul Maar"),
    ("Rowling, J. K.", "J. K. Rowling"),
    ("Maar, Paul, 1937-", "Paul Maar"),
    ("Funke, Cornelia [Verfasser]", "Cornelia Funke"),
    ("Astrid Lindgren", "Astrid Lindgren"),
    ("Janosch", "Janosch"),
])
def test_a_name_reads_first_name_first(written, shown):
    assert facts.person(written) == shown


def test_several_authors_each_once_and_at_most_three():
    assert facts.authors(["Maar, Paul", "Paul Maar", "Funke, Cornelia", "Boie, Kirsten", "Ende, Michael"]) \
        == "Paul Maar, Cornelia Funke, Kirsten Boie"


def test_a_title_loses_the_catalogues_marks_and_is_cut_to_the_booths_limit():
    assert facts.title_text("Das Sams :") == "Das Sams"
    assert facts.title_text("Harry Potter", "Der Stein der Weisen /") == "Harry Potter – Der Stein der Weisen"
    long = facts.title_text("Wort " * 100)
    assert len(long) == MAX_TITLE and long.endswith("…")


@pytest.mark.parametrize("text, year", [("[2018]", "2018"), ("März 2003", "2003"), ("©1998", "1998"),
                                        ("ca. 19. Jh.", ""), ("12345", ""), ("", "")])
def test_the_year_is_four_digits_or_nothing(text, year):
    assert facts.year(text) == year


@pytest.mark.parametrize("words, group", [
    (["Kinderbuch ab 8 Jahren"], "7-9"),
    (["ab 4 J."], "4-6"),
    (["10-12 Jahre"], "10-12"),
    (["Ages 4-8", "Juvenile fiction"], "4-6"),
    (["Pappbilderbuch"], "0-3"),
    (["Bilderbuch"], "4-6"),
    (["Erstlesebuch"], "7-9"),
    (["Juvenile fiction"], "7-9"),
    (["Jugendbuch"], "13+"),
    (["Young adult fiction"], "13+"),
    (["Psychologie", "Lehrbuch"], ""),
    ([], ""),
])
def test_the_age_group_suggested_from_a_records_words(words, group):
    assert facts.age_group(words) == group


def test_every_age_falls_into_one_of_the_booths_groups():
    assert [facts.group_for_age(a) for a in (0, 3, 4, 6, 7, 9, 10, 12, 13, 18, 99)] == \
        ["0-3", "0-3", "4-6", "4-6", "7-9", "7-9", "10-12", "10-12", "13+", "13+", "13+"]


@given(st.lists(st.text(max_size=80), max_size=6))
def test_any_words_give_a_group_or_nothing(words):
    assert facts.age_group(words) in AGE_GROUPS + ("",)
    assert len(facts.authors(words)) <= MAX_FIELD
    assert len(facts.title_text(*words)) <= MAX_TITLE

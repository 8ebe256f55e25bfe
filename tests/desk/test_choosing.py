"""Which books staff mean: "17-29, 31", a day, the new ones — and a plain refusal for anything else."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from kiosk.desk import choosing
from kiosk.desk.choosing import Choice, choose, parse_day, parse_numbers
from kiosk.desk.sheets import SHEETS, sheet_named
from kiosk.errors import BadChoice

BERLIN = ZoneInfo("Europe/Berlin")


def test_numbers_and_ranges_as_staff_write_them():
    assert parse_numbers("17-29, 31") == list(range(17, 30)) + [31]
    assert parse_numbers(" 3 ; 1,2  2 ") == [1, 2, 3]
    assert parse_numbers("5 – 7") == [5, 6, 7]            # the en dash a word processor makes
    assert parse_numbers("12-12") == [12]


@pytest.mark.parametrize("text, reason", [
    ("5-", "form"), ("abc", "form"), ("-3", "form"), ("1,,x", "form"), ("٣", "form"), ("1.5", "form"),
    ("9-3", "range"), ("0", "range"), ("10" + "0" * 11, "big"), ("1-5000", "too_many"), ("", "none"), (" , ", "none"),
])
def test_what_cannot_be_read_is_refused_with_its_reason(text, reason):
    with pytest.raises(BadChoice) as refused:
        parse_numbers(text)
    assert refused.value.reason == reason


def ranges_text(numbers: list[int]) -> str:
    """The shortest way staff would write these numbers ("1-3, 7")."""
    parts, run = [], []
    for n in sorted(set(numbers)):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            parts.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    parts.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(parts)


@given(st.lists(st.integers(1, 10**9 - 1), min_size=1, max_size=60))
def test_any_numbers_written_as_ranges_come_back_the_same(numbers):
    assert parse_numbers(ranges_text(numbers)) == sorted(set(numbers))


@settings(max_examples=400)
@given(st.text(max_size=60) | st.from_regex(r"[0-9 ,;\-–]{0,30}", fullmatch=True))
def test_any_text_gives_book_numbers_or_one_plain_refusal(text):
    try:
        numbers = parse_numbers(text)
    except BadChoice as exc:
        assert exc.reason in choosing.REASONS and str(exc)
        return
    assert numbers == sorted(set(numbers)) and 1 <= len(numbers) <= choosing.MAX_LABELS
    assert all(1 <= n < 10**choosing.MAX_DIGITS for n in numbers)


def test_days_as_a_date_field_sends_them_or_as_germans_write_them():
    assert parse_day("2026-11-03") == parse_day("3.11.2026") == parse_day("03.11.2026") == date(2026, 11, 3)
    for wrong in ("2026-13-01", "31.2.2026", "3.11.26", "yesterday", "", "2026-1-3"):
        with pytest.raises(BadChoice) as refused:
            parse_day(wrong)
        assert refused.value.reason == "date"


def test_sheets_by_name_and_an_unknown_one_refused():
    assert sheet_named(" l7160 ") is SHEETS["L7160"]
    with pytest.raises(BadChoice) as refused:
        sheet_named("A4-Papier")
    assert refused.value.reason == "sheet" and "3474" in str(refused.value)


def test_every_sheet_fits_on_a4():
    for sheet in SHEETS.values():
        right, bottom = sheet.position(sheet.per_sheet - 1)
        assert sheet.left >= 0 and sheet.top >= 0
        assert right + sheet.width <= 210.01 and bottom + sheet.height <= 297.01, sheet.name


SHELF = [{"id": n, "title": f"Buch {n}", "author": "", "age_group": "", "retired": "x" if n == 3 else None,
          "created": f"2026-11-{n:02d}T09:00:00.000Z"} for n in range(1, 6)]


def test_choosing_books_by_numbers_day_or_not_yet_printed():
    assert [b["id"] for b in choose(SHELF, Choice(numbers=(1, 2, 3, 4)), BERLIN)] == [1, 2, 4]     # 3 is retired
    assert [b["id"] for b in choose(SHELF, Choice(since=date(2026, 11, 4)), BERLIN)] == [4, 5]
    assert [b["id"] for b in choose(SHELF, Choice(new=True), BERLIN, printed={1, 2})] == [4, 5]
    with pytest.raises(BadChoice) as refused:
        choose(SHELF, Choice(numbers=(4, 6, 7)), BERLIN)
    assert refused.value.reason == "unknown" and refused.value.detail == "6, 7"
    with pytest.raises(BadChoice) as refused:
        choose(SHELF, Choice(new=True), BERLIN, printed={1, 2, 4, 5})
    assert refused.value.reason == "no_new"
    with pytest.raises(BadChoice) as refused:
        choose(SHELF, Choice(since=date(2027, 1, 1)), BERLIN)
    assert refused.value.reason == "none"

"""ISBNs as staff type or scan them: every form of a real ISBN reads as its ISBN-13, anything
else is refused with the reason a face can word."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kiosk.desk.isbn import isbn10, parse_isbn
from kiosk.errors import BadIsbn, BadValue

# Check digits verified by hand: 0-306-40615-2 is the example in ISO 2108's Wikipedia article,
# 080442957X ends in X; 978-3-7891-4206-2 / 3-7891-4206-9 are one book in both forms.
SAME_BOOK = ["9783789142062", "978-3-7891-4206-2", "3-7891-4206-9", "3789142069", "ISBN 3-7891-4206-9",
             "ISBN-13: 978-3-7891-4206-2", " 978 3 7891 4206 2\n", "978‐3‐7891‐4206‐2", "3.7891.4206.9"]


@pytest.mark.parametrize("text", SAME_BOOK)
def test_every_way_of_writing_one_isbn_reads_as_its_isbn13(text):
    assert parse_isbn(text) == "9783789142062"


def test_an_isbn10_ending_in_x_is_accepted_in_either_case():
    assert parse_isbn("080442957X") == parse_isbn("0-8044-2957-x") == "9780804429573"
    assert isbn10("9780804429573") == "080442957X"


def test_a_979_isbn_has_no_isbn10():
    assert parse_isbn("979-10-90636-07-1") == "9791090636071"
    assert isbn10("9791090636071") is None
    assert isbn10("9780306406157") == "0306406152"


@pytest.mark.parametrize("text, kind", [
    ("978-3-7891-4206-3", "checksum"),      # last digit changed
    ("3-7891-4206-8", "checksum"),
    ("3-7891-4260-9", "checksum"),          # two digits swapped
    ("978378914206", "length"),
    ("12", "length"),
    ("9" * 41, "length"),
    ("", "empty"),
    ("   ", "empty"),
    ("ISBN", "empty"),
    ("97837891420X2", "characters"),
    ("978378914206X", "characters"),        # only an ISBN-10 ends in X
    ("３７８９１４２０６９", "characters"),   # full-width digits are no ISBN
    ("<script>", "characters"),
    ("1234567890128", "prefix"),            # a valid EAN-13, but no book
])
def test_what_is_no_isbn_is_refused_with_its_reason(text, kind):
    with pytest.raises(BadIsbn) as caught:
        parse_isbn(text)
    assert caught.value.kind == kind
    assert str(caught.value)


@given(st.text(max_size=60))
def test_any_text_is_an_isbn13_or_refused(text):
    try:
        isbn = parse_isbn(text)
    except BadValue as exc:
        assert str(exc)
        return
    assert len(isbn) == 13 and isbn.isdigit() and isbn.startswith(("978", "979"))
    assert parse_isbn(isbn) == isbn


@given(st.from_regex(r"97[89][0-9]{9}", fullmatch=True))
def test_an_isbn13_with_its_check_digit_reads_as_itself_and_via_its_isbn10(body):
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    isbn = body + str((10 - total % 10) % 10)
    assert parse_isbn(isbn) == isbn
    if isbn10(isbn):
        assert parse_isbn(isbn10(isbn)) == isbn

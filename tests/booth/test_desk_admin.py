"""`kiosk admin book add --isbn ISBN [--tag UID]`: looked up in the desk's stand-ins for the DNB
and Open Library, stored with its tag, or as the pending book the next new tag at the running
booth becomes; one clear line for a wrong checksum, an unknown ISBN, a tag already used."""

from __future__ import annotations

import threading

import pytest

from kiosk.booth.store import BoothStore
from kiosk.cli import main
from tests.booth.conftest import BOOK2, BOOTH
from tests.desk.conftest import stand_ins  # noqa: F401 — the DNB and Open Library stand-ins

SAMS = "9783789142062"


@pytest.fixture
def config(make_config, broker, stand_ins):  # noqa: F811
    stand_ins.add_book(SAMS, "Eine Woche voller Samstage", "Maar, Paul", publisher="Oetinger", year="1973",
                       audience="ab 8 Jahren")
    made = make_config(broker.port, extra=BOOTH.format(max_loans=3, session_s=30) + stand_ins.desk_toml())
    with BoothStore.open(made) as store:
        store.add_book(BOOK2, "Das Sams")
    return made


def admin(config, *args: str) -> int:
    return main(["--config", config.source, "admin", "book", "add", *args])


def books(config) -> list[tuple]:
    with BoothStore.open(config) as store:
        return [tuple(r) for r in store.db.rows("SELECT id, title, author, isbn, publisher, year, age_group "
                                                "FROM books ORDER BY id")]


def test_an_isbn_with_a_tag_is_looked_up_and_stored(config, capsys):
    assert admin(config, "--isbn", "3-7891-4206-9", "--tag", "b0000077") == 0      # its ISBN-10
    out = capsys.readouterr().out
    assert "Found (Deutsche Nationalbibliothek): Eine Woche voller Samstage — Paul Maar, Oetinger, 1973, age 7-9" in out
    assert "Book 2 added: Eine Woche voller Samstage" in out
    assert books(config)[-1] == (2, "Eine Woche voller Samstage", "Paul Maar", SAMS, "Oetinger", 1973, "7-9")


@pytest.mark.parametrize("args, says", [
    (["--isbn", "978-3-7891-4206-3", "--tag", "b0000077"], "kiosk: a digit of this ISBN-13 is wrong"),
    (["--isbn", "3-7891-4206-8", "--tag", "b0000077"], "kiosk: a digit of this ISBN-10 is wrong"),
    (["--isbn", "9783789143007", "--tag", "b0000077"],
     "kiosk: ISBN 9783789143007: no catalogue knows this book; give its title with --title"),
    (["--isbn", SAMS, "--tag", BOOK2], "kiosk: this tag is already registered (as a book or a card)"),
    (["--tag", "b0000077"], "kiosk: give --tag and --title, or --isbn to look the book up"),
])
def test_bad_input_is_one_clear_line_and_stores_nothing(config, capsys, args, says):
    before = books(config)
    assert admin(config, *args) == 2
    err = capsys.readouterr().err
    assert err.startswith(says) and err.count("\n") == 1, err
    assert books(config) == before
    assert BOOK2 not in err


def test_an_unknown_isbn_takes_the_title_given(config, capsys):
    assert admin(config, "--isbn", "9783789143007", "--tag", "b0000077", "--title", "Das kleine Gespenst") == 0
    assert books(config)[-1][:4] == (2, "Das kleine Gespenst", "", "9783789143007")


def test_without_a_tag_the_next_new_tag_at_the_running_booth_becomes_the_book(config, run_booth, capsys):
    booth = run_booth(config)
    done: list[int] = []
    waiting = threading.Thread(target=lambda: done.append(admin(config, "--isbn", SAMS)))
    waiting.start()
    deadline = threading.Event()
    for _ in range(100):                       # the booth takes the pending book up within a second
        if booth.booth.desk.register == "books":
            break
        deadline.wait(0.05)
    assert booth.tap(BOOK2)[0]["reason"] == "already_registered"
    assert booth.tap("b0000077")[0]["book"] == {"id": 2, "title": "Eine Woche voller Samstage", "isbn": SAMS}
    waiting.join(10)
    out = capsys.readouterr().out
    assert done == [0], out
    assert "Now hold the book's new tag to the booth's reader" in out
    assert out.rstrip().endswith("Book 2 added: Eine Woche voller Samstage")

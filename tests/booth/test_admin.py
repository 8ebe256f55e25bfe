"""`kiosk admin` staff tasks of the booth: what staff type and what they see."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kiosk.cli import main


@pytest.fixture
def config(booth_config):
    return booth_config(1883)


def kiosk(config, *args):
    return main(["--config", config.source, "admin", *args])


def db_counts(config):
    conn = sqlite3.connect(config.data_dir / "booth.sqlite")
    try:
        return conn.execute("SELECT (SELECT count(*) FROM books), (SELECT count(*) FROM cards)").fetchone()
    finally:
        conn.close()


def test_book_and_card_tasks(config, capsys):
    assert kiosk(config, "book", "add", "--tag", "04:A1:B2:C3", "--title", "Das Sams", "--author", "Paul Maar",
                 "--age", "8-10") == 0
    assert capsys.readouterr().out == "Book 1 added: Das Sams\n"
    assert kiosk(config, "card", "add", "--tag", "0a0b0c0d") == 0
    assert kiosk(config, "card", "add", "--tag", "0a0b0c0e", "--name", "Sternchen") == 0
    assert kiosk(config, "card", "add", "--tag", "0a0b0c0f", "--staff") == 0
    assert capsys.readouterr().out.splitlines() == ["Card added: Lesefuchs 1", "Card added: Sternchen",
                                                    "Card added: Leseeule 3 (staff)"]
    assert kiosk(config, "card", "block", "Sternchen") == 0
    assert kiosk(config, "card", "list") == 0
    out = capsys.readouterr().out
    assert "Sternchen is blocked" in out and out.splitlines()[3].endswith("blocked")
    assert kiosk(config, "book", "title", "1", "Das Sams – Neue Punkte") == 0
    assert kiosk(config, "book", "list") == 0
    assert "Das Sams – Neue Punkte" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (("book", "add", "--tag", "xyz", "--title", "T"), "the tag is not hexadecimal"),
    (("book", "add", "--tag", "0102030405", "--title", "T"), "the tag has 5 bytes"),
    (("book", "add", "--tag", "01020304", "--title", "  "), "the title must not be empty"),
    (("card", "add", "--tag", "01020304", "--name", "x_y"), "a pseudonym may use"),
    (("card", "add", "--tag", "01020304", "--name", "04a1b2c3"), "looks like a tag UID"),
    (("card", "block", "Niemand"), "no card is called 'Niemand'"),
    (("book", "title", "99", "T"), "there is no book number 99"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(config, capsys, args, message):
    assert kiosk(config, "book", "add", "--tag", "0f0f0f0f", "--title", "Da") == 0
    before = db_counts(config)
    capsys.readouterr()
    assert kiosk(config, *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("kiosk: ")
    assert db_counts(config) == before


def test_a_tag_cannot_be_both_book_and_card(config, capsys):
    assert kiosk(config, "book", "add", "--tag", "01020304", "--title", "T") == 0
    assert kiosk(config, "card", "add", "--tag", "01020304") == 2
    assert kiosk(config, "card", "add", "--tag", "05060708", "--name", "Mia") == 0
    assert kiosk(config, "card", "add", "--tag", "05060709", "--name", "mia") == 2
    err = capsys.readouterr().err
    assert "already registered" in err and "already called 'mia'" in err
    assert "01020304" not in err


def test_import_is_all_or_nothing_with_line_numbers(config, tmp_path, capsys):
    bad = tmp_path / "books.csv"
    bad.write_text("tag,title,author,age_group\n"
                   "01020304,Der Grüffelo,Julia Donaldson,3-6\n"
                   "nothex,Das Sams,Paul Maar,8-10\n"
                   "01020305,,Otfried Preußler,6-9\n"
                   "01020304,Noch einmal,,\n", encoding="utf-8")
    assert kiosk(config, "book", "import", str(bad)) == 2
    err = capsys.readouterr().err
    assert "3 bad row(s), nothing imported" in err
    assert "line 3: the tag is not hexadecimal" in err and "line 4: the title must not be empty" in err
    assert "line 5: same tag as line 2" in err
    assert db_counts(config) == (0, 0)
    good = tmp_path / "good.csv"
    good.write_text("\ufefftag,title,author,age_group\n01020304,Der Grüffelo,Julia Donaldson,3-6\n"
                    "04112233445566,Pippi Langstrumpf,Astrid Lindgren,6-9\n\n", encoding="utf-8")
    assert kiosk(config, "book", "import", str(good)) == 0
    assert capsys.readouterr().out == "2 book(s) imported, numbers 1–2\n"
    assert kiosk(config, "book", "import", str(good)) == 2           # again: already registered
    assert "line 2: the tag is already registered" in capsys.readouterr().err
    assert kiosk(config, "book", "import", str(tmp_path / "missing.csv")) == 2


def test_loans_overdue_and_export_show_pseudonyms(stocked, run_booth, capsys):
    from tests.booth.conftest import ANNA, BOOK1
    config = stocked()
    booth = run_booth(config)
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.stop()
    assert kiosk(config, "loans", "--json") == 0
    loans = json.loads(capsys.readouterr().out)
    assert [(r["book_id"], r["card"]) for r in loans] == [(1, "Lesefuchs 1")]
    assert kiosk(config, "overdue") == 0
    assert "0 book(s) overdue" in capsys.readouterr().out
    assert kiosk(config, "export") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "loan,book,title,card,borrowed,due,returned,how"
    assert lines[1].startswith("1,1,Die kleine Raupe Nimmersatt,Lesefuchs 1,")
    assert kiosk(config, "export", "--stats") == 0
    assert capsys.readouterr().out.splitlines()[0] == "month,loans,returns,readers,new_books"

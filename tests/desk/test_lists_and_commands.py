"""`kiosk admin book labels …` and `book list [--overdue] --pdf`: the files staff print, and plain refusals."""

from __future__ import annotations

import re
import sqlite3

import pytest

from kiosk.booth.messages import BookRef, MonthCounts, OverdueLoan, Summary
from kiosk.cli import main
from kiosk.desk import shelf
from kiosk.desk.lists import overdue_pdf
from kiosk.clock import iso
from tests.desk.printing import BERLIN, CARDS, LONG, NEW_DAY, NOW, OVERDUE, pdf_text, shelf_config  # noqa: F401


def kiosk(config, *args):
    return main(["--config", config.source, "admin", *args])


def flat(path) -> str:
    return " ".join(pdf_text(path).split())


def test_labels_by_numbers_day_and_not_yet_printed(shelf_config, tmp_path, capsys):
    config = shelf_config()
    first = tmp_path / "first.pdf"
    assert kiosk(config, "book", "labels", "1-3", "--sheet", "L7160", "--start", "5", "--pdf", str(first)) == 0
    assert capsys.readouterr().out == f"3 label(s) on 1 sheet(s) L7160 written: {first}\n"
    text = flat(first)
    assert "Das Sams" in text and "Pippi Langstrumpf" in text and "Nr. 3" in text and "Nr. 4" not in text
    since = tmp_path / "since.pdf"
    assert kiosk(config, "book", "labels", "--since", f"{NEW_DAY:%d.%m.%Y}", "--pdf", str(since)) == 0
    text = flat(since)
    assert "Momo" in text and "Raupe Nimmersatt" in text and "Das Sams" not in text
    assert "Weg ist weg" not in text                                   # retired
    new = tmp_path / "new.pdf"
    assert kiosk(config, "book", "labels", "--new", "--pdf", str(new)) == 0
    text = flat(new)
    assert "Кот и Пёс" in text and "Das Sams" not in text and "Momo" not in text    # 1-3, 5, 7 are printed
    capsys.readouterr()
    assert kiosk(config, "book", "labels", "--new", "--pdf", str(tmp_path / "again.pdf")) == 2
    assert "every book has its label already" in capsys.readouterr().err
    assert not (tmp_path / "again.pdf").exists()


@pytest.mark.parametrize("args, said", [
    (["5-"], "cannot read '5-'"),
    (["abc"], "cannot read 'abc'"),
    (["1000000000000"], "no book has a number that long"),
    (["1-2000"], "at most 1000 labels"),
    (["7-9"], "there is no book number 8, 9"),
    (["1", "--sheet", "A4"], "no label sheet is called 'A4'"),
    (["1", "--start", "25"], "--start is a label from 1 to 24"),
    (["--since", "2026/11/03"], "the day must look like 2026-11-03 or 3.11.2026"),
])
def test_bad_input_is_one_plain_message_and_no_file(shelf_config, tmp_path, capsys, args, said):
    config = shelf_config()
    out = tmp_path / "labels.pdf"
    assert kiosk(config, "book", "labels", *args, "--pdf", str(out)) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and err.count("\n") == 1
    assert not out.exists()
    assert not (config.data_dir / "labels.sqlite").exists() or _printed(config) == []


def _printed(config) -> list[int]:
    conn = sqlite3.connect(config.data_dir / "labels.sqlite")
    try:
        return [row[0] for row in conn.execute("SELECT book_id FROM printed")]
    finally:
        conn.close()


def test_the_book_list_to_print_leaves_retired_books_out(shelf_config, tmp_path, capsys):
    config = shelf_config()
    out = tmp_path / "buecher.pdf"
    assert kiosk(config, "book", "list", "--pdf", str(out)) == 0
    assert capsys.readouterr().out == f"6 book(s) written: {out}\n"
    text = flat(out)
    for shown in ("Alle Bücher der Bücherzelle", "Das Sams", "Paul Maar", "6-9", "Жили-были Кот и Пёс", "Momo",
                  "Die unendliche Geschichte"):
        assert shown in text
    assert "Weg ist weg" not in text
    assert kiosk(config, "book", "list") == 0                 # without --pdf: the table on the screen, as before
    assert "Weg ist weg" in capsys.readouterr().out


def test_the_door_list_names_cards_by_pseudonym_and_nothing_else(shelf_config, tmp_path, capsys):
    config = shelf_config()
    out = tmp_path / "tuer.pdf"
    assert kiosk(config, "book", "list", "--overdue", "--pdf", str(out)) == 0
    text = flat(out)
    for pseudonym in OVERDUE.values():
        assert pseudonym in text
    assert "Das Sams" in text and "Pippi Langstrumpf" in text and "Momo" not in text    # Momo is not due yet
    assert "Bücherwurm 2" in text
    _no_card_details(config, text)
    assert kiosk(config, "book", "list", "--overdue") == 0     # on the screen, as `kiosk admin overdue`
    assert "2 book(s) overdue" in capsys.readouterr().out


def _no_card_details(config, text: str) -> None:
    conn = sqlite3.connect(config.data_dir / "booth.sqlite")
    try:
        hashes = [row[0] for row in conn.execute("SELECT tag_hash FROM cards UNION SELECT tag_hash FROM books")]
    finally:
        conn.close()
    compact = text.replace(" ", "").lower()
    for secret in hashes + list(CARDS):
        assert secret.lower() not in compact and secret[:8].lower() not in compact
    assert not re.search(r"\b[0-9a-f]{8,}\b", text.lower())     # nothing that looks like a tag or a hash


def test_the_door_list_from_the_booths_summary_where_the_booth_is_another_pi(make_config, tmp_path):
    config = make_config()                                   # no booth.sqlite on this Pi
    assert not shelf.booth_here(config)
    summary = Summary(iso(NOW), 3, (OverdueLoan(BookRef(4, "Momo"), "Leseeule 9", "2026-11-20T10:00:00.000Z"),
                                    OverdueLoan(BookRef(8, None), "Lesefuchs 1", "2026-11-21T10:00:00.000Z")),
                      MonthCounts())
    overdue = shelf.overdue(config, summary)
    out = tmp_path / "tuer.pdf"
    out.write_bytes(overdue_pdf(overdue, booth="Bücherzelle Welheim", made=NOW.date(), zone=BERLIN))
    text = flat(out)
    assert "Bücherzelle Welheim" in text and "Momo" in text and "Leseeule 9" in text and "20.11.2026" in text
    assert "Buch 8" in text
    assert not (config.data_dir / "booth.sqlite").exists()


def test_where_the_booth_is_another_pi_labels_say_where_to_make_them(make_config, tmp_path, capsys):
    config = make_config()
    assert kiosk(config, "book", "labels", "1", "--pdf", str(tmp_path / "l.pdf")) == 2
    assert "run this there" in capsys.readouterr().err
    assert not (config.data_dir / "booth.sqlite").exists()


def test_a_long_title_in_the_list_is_shown_whole(shelf_config, tmp_path):
    out = tmp_path / "buecher.pdf"
    assert kiosk(shelf_config(), "book", "list", "--pdf", str(out)) == 0
    text = flat(out)
    assert all(word in text for word in LONG.split())        # wrapped in its cell, not cut


def test_an_arabic_title_in_the_list_wraps_in_reading_order(tmp_path):
    from datetime import date
    import unicodedata

    from kiosk.desk.lists import books_pdf

    title = "حكايات قبل النوم للأطفال الصغار في المدينة الكبيرة مع أصدقائهم وجيرانهم"
    out = tmp_path / "buecher.pdf"
    out.write_bytes(books_pdf([{"id": 41, "title": title, "author": "", "age_group": "4-6", "retired": None}],
                              booth="Bücherzelle Batenbrock", made=date(2026, 12, 2)))
    shown = unicodedata.normalize("NFKC", pdf_text(out))
    lines = [" ".join(line.split()).strip("\u202a\u202b\u202c") for line in shown.splitlines()]
    arabic = [line.replace("41", "").replace("4-6", "").strip().strip("\u202a\u202b\u202c").strip() for line in lines
              if any("\u0600" <= ch <= "\u06ff" for ch in line)]
    assert len(arabic) >= 2 and " ".join(arabic) == title           # first words first, nothing lost

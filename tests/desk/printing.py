"""For the desk's prints (test_labels, test_lists_and_commands, test_console_page): a booth with a shelf
of books (some overdue, one retired), and the tools to read a PDF's words and places.

A module of its own, not conftest.py: the look-up's tests keep theirs there. Test modules import
the fixtures they use (`shelf_config`, and the console's `app_for` …) from here.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.booth.store import BoothStore
from tests.conftest import require_tool
from tests.console.conftest import app_for, console_config, run_console  # noqa: F401
from tests.report.conftest import pdf_pages, pdf_text  # noqa: F401
from tests.report.month import borrow

BERLIN = ZoneInfo("Europe/Berlin")
# Relative to today: the commands and the console ask the real clock which loans are overdue.
NOW = datetime.now(BERLIN).replace(microsecond=0)
REGISTERED = NOW - timedelta(days=30)
NEW_DAY = NOW - timedelta(days=10)
LONG = ("Die unendliche Geschichte von Bastian Balthasar Bux, der in ein Buch hineingerät und Phantásien "
        "vor dem Nichts rettet, erzählt von Michael Ende")
SHELF = [  # tag, title, author, age group, registered
    ("b0000001", "Das Sams", "Paul Maar", "6-9", REGISTERED),
    ("b0000002", "Pippi Langstrumpf", "Astrid Lindgren", "6-9", REGISTERED),
    ("b0000003", LONG, "Michael Ende", "10+", REGISTERED),
    ("b0000004", "Жили-были Кот и Пёс", "Олена Іваненко", "4-6", REGISTERED),
    ("b0000005", "Momo", "Michael Ende", "10+", NEW_DAY),
    ("b0000006", "Weg ist weg", "", "", NEW_DAY),                   # retired below
    ("b0000007", "Die kleine Raupe Nimmersatt", "Eric Carle", "2-4", NEW_DAY),
]
CARDS = {"04a1b2c3": "Lesefuchs 1", "04d4e5f6": "Bücherwurm 2"}
OVERDUE = {1: "Lesefuchs 1", 2: "Bücherwurm 2"}        # book number -> the card that has it, overdue


@pytest.fixture
def shelf_config(make_config):
    """A station whose booth.sqlite has SHELF: books 1 and 2 overdue, 5 on loan (not yet due), 6 retired."""
    def make(extra: str = ""):
        config = make_config(extra=extra)
        with BoothStore.open(config) as store:
            for tag, title, author, age, when in SHELF:
                store.add_book(tag, title, author, age, now=when)
            for tag, name in CARDS.items():
                store.add_card(tag, name, now=REGISTERED)
            borrow(store, "04a1b2c3", ["b0000001"], REGISTERED)
            borrow(store, "04d4e5f6", ["b0000002"], REGISTERED + timedelta(days=1))
            borrow(store, "04d4e5f6", ["b0000005"], NOW - timedelta(days=2))
            store.retire(6, now=NEW_DAY)
        return config
    return make


def pdf_words(path) -> list[dict]:
    """Every word of the PDF with its page (1, 2 …) and box in mm from the page's top-left corner."""
    require_tool("pdftotext", "apt-get install -y poppler-utils", present=shutil.which("pdftotext") is not None)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    words, page = [], 0
    to_mm = 25.4 / 72
    for line in out.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if found:
            x0, y0, x1, y1 = (float(found.group(n)) * to_mm for n in range(1, 5))
            words.append({"page": page, "text": html.unescape(found.group(5)), "x0": x0, "y0": y0, "x1": x1, "y1": y1})
    return words

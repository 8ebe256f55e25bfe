"""Labels on the sheet: each in its place for every sheet format, long titles kept inside, a half sheet used again."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.desk.labels import MOTTO, labels_pdf
from kiosk.desk.sheets import SHEETS
from kiosk.errors import BadChoice
from tests.desk.printing import LONG, pdf_pages, pdf_text, pdf_words

TOLERANCE = 0.3     # mm: glyph boxes of pdftotext against the sheet's measures


def books(count: int) -> list[dict]:
    return [{"id": 100 + n, "title": LONG if n % 3 == 1 else "Pippi Langstrumpf", "author": "Michael Ende"}
            for n in range(count)]


def label_of(sheet, slot: int) -> tuple[float, float, float, float]:
    left, top = sheet.position(slot)
    return left, top, left + sheet.width, top + sheet.height


@pytest.mark.parametrize("name", list(SHEETS))
def test_each_label_lands_in_its_place_and_keeps_its_words_inside(name, tmp_path):
    sheet = SHEETS[name]
    start = 2                                   # two labels of the sheet used already
    made = books(sheet.per_sheet)               # so the last ones go onto a second sheet
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(labels_pdf(made, sheet, start=start, booth="Bücherzelle Batenbrock"))
    words = pdf_words(path)
    numbers = [w for w in words if w["text"].isdigit() and int(w["text"]) >= 100]
    assert sorted(int(w["text"]) for w in numbers) == [b["id"] for b in made]
    for word in numbers:
        slot = start + int(word["text"]) - 100
        page = 1 + slot // sheet.per_sheet
        x0, y0, x1, y1 = label_of(sheet, slot)
        assert word["page"] == page
        assert x0 <= word["x0"] and word["x1"] <= x1 and y0 <= word["y0"] and word["y1"] <= y1, (name, slot)
    # Every word (header, title, author, number) lies inside one label: nothing spills into the next.
    for word in words:
        inside = [slot for slot in range(sheet.per_sheet) if _within(word, label_of(sheet, slot))]
        assert len(inside) == 1, (name, word)
    first_page = [w for w in words if w["page"] == 1]
    assert not any(_within(w, label_of(sheet, 0)) or _within(w, label_of(sheet, 1)) for w in first_page)


def _within(word: dict, box: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = box
    return (x0 - TOLERANCE <= word["x0"] and word["x1"] <= x1 + TOLERANCE
            and y0 - TOLERANCE <= word["y0"] and word["y1"] <= y1 + TOLERANCE)


def test_a_label_says_whose_book_it_is_its_title_and_number(tmp_path):
    path = tmp_path / "labels.pdf"
    path.write_bytes(labels_pdf([{"id": 17, "title": "Das Sams", "author": "Paul Maar"},
                                 {"id": 18, "title": "Жили-были Кот и Пёс", "author": ""}],
                                SHEETS["3474"], booth="Bücherzelle Batenbrock"))
    text = " ".join(pdf_text(path).split())
    for shown in ("Bücherzelle Batenbrock", MOTTO, "Das Sams", "Paul Maar", "Nr. 17", "Жили-были Кот и Пёс", "Nr. 18"):
        assert shown in text


def test_a_long_title_is_shortened_at_a_word_with_an_ellipsis(tmp_path):
    path = tmp_path / "labels.pdf"
    path.write_bytes(labels_pdf([{"id": 3, "title": LONG, "author": ""}], SHEETS["L7160"]))
    text = " ".join(pdf_text(path).split())
    assert "Die unendliche Geschichte" in text and "…" in text
    assert "Michael Ende" not in text                       # the end of the title did not fit
    shown = text.split("Die unendliche", 1)[1].split("…", 1)[0]
    assert ("Die unendliche" + shown).rstrip() in LONG      # cut where a word ends, nothing made up


def test_a_start_or_an_empty_choice_off_the_sheet_is_refused():
    with pytest.raises(BadChoice):
        labels_pdf(books(1), SHEETS["3474"], start=24)
    with pytest.raises(BadChoice):
        labels_pdf([], SHEETS["3474"])


def test_the_sheet_as_staff_see_it(tmp_path):
    path = tmp_path / "labels.pdf"
    path.write_bytes(labels_pdf(books(30), SHEETS["3474"], start=4))
    assert len(pdf_pages(path, tmp_path / "page")) == 2


ARABIC = "حكايات قبل النوم للأطفال الصغار في المدينة الكبيرة مع أصدقائهم"


def test_an_arabic_title_is_joined_read_right_to_left_and_set_flush_right(tmp_path):
    sheet = SHEETS["3474"]
    path = tmp_path / "labels.pdf"
    path.write_bytes(labels_pdf([{"id": 40, "title": ARABIC, "author": "كامل كيلاني"}], sheet))
    # pdftotext gives right-to-left text back in typed order, joined letters as their plain forms:
    # the words come back as typed only when they were drawn shaped and in visual order.
    text = unicodedata.normalize("NFKC", pdf_text(path))
    lines = [" ".join(line.split()).strip("\u202a\u202b\u202c") for line in text.splitlines() if line.strip()]
    first = lines.index("حكايات قبل النوم للأطفال الصغار")          # the first words on the first line
    assert f"{lines[first]} {lines[first + 1]}" == ARABIC and "كامل كيلاني" in lines
    right = label_of(sheet, 0)[2] - 4                     # the label's right edge less its padding (mm)
    arabic = [w for w in pdf_words(path) if any("\u0600" <= ch <= "\u06ff" or ch >= "\ufb50" for ch in w["text"])]
    assert arabic and max(w["x1"] for w in arabic) == pytest.approx(right, abs=0.5)

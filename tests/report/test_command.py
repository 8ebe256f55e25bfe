"""`kiosk admin report` as staff type it, and the period it is given."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from kiosk.cli import main
from kiosk.errors import BadValue
from kiosk.report.period import last_month, period_of
from tests.report import month
from tests.report.conftest import pdf_text


def test_admin_report_writes_pdf_and_csv_of_the_month(november, tmp_path, capsys):
    pdf, table = tmp_path / "out" / "bericht.pdf", tmp_path / "out" / "bericht.csv"
    assert main(["--config", str(tmp_path / "station.toml"), "admin", "report", "--month", "2026-11",
                 "--pdf", str(pdf), "--csv", str(table)]) == 0
    said = capsys.readouterr().out
    assert "Bericht November 2026" in said and "Bücherzelle: Ausleihen: 5" in said
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    assert {"Zeitraum": "November 2026", "Bereich": "Bücherzelle", "Kennzahl": "Ausleihen", "Wert": "5",
            "Einheit": ""} in rows
    assert "Ausleihen 5" in " ".join(pdf_text(pdf).split())


def test_an_idea_added_at_the_counter_counts_as_brought_to_the_office(make_config, tmp_path, capsys):
    make_config()
    config_arg = ["--config", str(tmp_path / "station.toml")]
    assert main(config_arg + ["admin", "ideas", "add", "--text", "Ein Bücherregal im Wartezimmer",
                              "--category", "meeting"]) == 0
    this_month = datetime.now(timezone.utc).astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m")
    table = tmp_path / "r.csv"
    assert main(config_arg + ["admin", "report", "--month", this_month, "--csv", str(table)]) == 0
    figures = {row["Kennzahl"]: row["Wert"] for row in csv.DictReader(io.StringIO(table.read_text("utf-8-sig")))}
    assert (figures["Eingegangene Ideen"], figures["davon im Büro abgegeben"], figures["Thema: Begegnung"]) == (
        "1", "1", "1")
    assert "Ein Bücherregal" not in table.read_text("utf-8-sig")     # not approved, and the CSV has no texts


def test_a_wrong_month_gets_one_clear_line_and_writes_nothing(make_config, tmp_path, capsys):
    make_config()
    pdf = tmp_path / "x.pdf"
    assert main(["--config", str(tmp_path / "station.toml"), "admin", "report", "--month", "11/2026",
                 "--pdf", str(pdf)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2026-11" in err
    assert not pdf.exists()


def test_without_a_month_the_report_is_last_months():
    assert last_month(date(2027, 1, 1)) == "2026-12"
    assert last_month(date(2026, 12, 2)) == "2026-11"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=12), st.from_regex(r"\d{4}-\d{2}", fullmatch=True),
                 st.integers(), st.none()), st.sampled_from(["month", "quarter", "year", "week", ""]))
def test_any_period_argument_is_a_period_or_one_clear_refusal(text, kind):
    try:
        period = period_of(text, kind)
    except BadValue as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    year, number = int(text[:4]), int(text[5:7])
    assert period.first <= date(year, number, 1) <= period.last
    assert period.first.day == 1 and (period.last.month, period.last.day) in (
        (number, period.last.day), (12, 31), ((number - 1) // 3 * 3 + 3, period.last.day))
    assert len(period.days()) in {"month": range(28, 32), "quarter": range(90, 93), "year": (365, 366)}[kind]

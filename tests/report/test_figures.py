"""A scripted month: the report's figures are the ones counted by hand, in PDF and CSV alike."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from kiosk.booth.store import BoothStore
from kiosk.report.figures import collect
from kiosk.report.period import period_of
from kiosk.report.csvfile import report_csv
from kiosk.report.pdf import report_pdf
from kiosk.report.words import rows
from tests.report import month
from tests.report.conftest import pdf_pages, pdf_text

E = month.EXPECTED


def test_the_report_counts_what_happened_in_the_month(november):
    r = collect(november, period_of(month.MONTH), month.END)
    b, i, k, g = r.booth, r.ideas, r.kiosk, r.garden
    assert (b.loans, b.returns, b.readers, b.new_books) == (E["loans"], E["returns"], E["readers"], E["new_books"])
    assert round(b.late_share * 100) == E["late_percent"]
    assert b.top_titles[0] == E["top_title"]
    assert sum(n for _, n in b.loans_per_week) == E["loans"]
    assert (i.received, i.at_kiosk, i.at_counter) == (E["ideas"], E["ideas_at_kiosk"], E["ideas_at_counter"])
    assert (i.approved, i.answered, i.implemented) == (E["approved"], E["answered"], E["implemented"])
    assert i.median_days_to_answer == E["median_days_to_answer"]
    assert {c: n for c, n in i.by_category.items() if n} == E["categories"]
    assert k.days_in_use == E["days_in_use"]
    assert dict(k.top_offers) == E["offers"]
    assert k.languages == E["languages"]
    assert k.finder == E["finder"]
    assert (k.read_aloud, k.large_text, k.plus_ones) == (E["read_aloud"], E["large_text"], E["plus_ones"])
    assert (g.dry_days, g.alerts, g.median_hours_to_watered, g.silent_days) == (
        E["dry_days"], E["alerts"], E["hours_to_watered"], E["silent_days"])
    assert r.availability is None          # not kept: the report says "keine Daten", not a made-up 100 %


def test_the_pdf_and_the_csv_show_the_same_figures(november, tmp_path):
    r = collect(november, period_of(month.MONTH), month.END)
    pdf = tmp_path / "bericht.pdf"
    pdf.write_bytes(report_pdf(r))
    text = " ".join(pdf_text(pdf).split())
    table = list(csv.DictReader(io.StringIO(report_csv(r))))
    assert "Stadtteilbüro Batenbrock" in text and "Batenbrock – Du bist gefragt!" in text
    assert "Bericht: November 2026" in text
    for section, label, value, unit in rows(r):
        assert any(row["Kennzahl"] == label and row["Wert"] == str(value) for row in table), label
        shown = f"{value} {unit}".strip().replace(".", ",") if value != "" else unit
        assert f"{label} {shown}".strip() in text, (label, shown)
    assert "Ausleihen pro Woche" in text and "Ideen nach Thema" in text and "Bodenfeuchte" in text
    pages = pdf_pages(pdf, tmp_path / "page")
    assert 1 <= len(pages) <= 4
    assert all(p.stat().st_size > 5000 for p in pages)      # a drawn page, not an empty one


def test_anonymising_the_loans_changes_no_figure(november):
    before = rows(collect(november, period_of(month.MONTH), month.END))
    with BoothStore.open(november) as store:
        assert store.anonymise(0, now=month.END + timedelta(days=1)) == E["returns"]
    after = rows(collect(november, period_of(month.MONTH), month.END))
    assert after == before


def test_no_pseudonym_contact_or_unapproved_idea_reaches_pdf_or_csv(november, tmp_path):
    with BoothStore.open(november) as store:
        pseudonyms = [c["pseudonym"] for c in store.cards()]
    assert len(pseudonyms) == len(month.CARDS)
    r = collect(november, period_of(month.MONTH), month.END)
    pdf = tmp_path / "bericht.pdf"
    pdf.write_bytes(report_pdf(r))
    shown = " ".join(pdf_text(pdf).split())
    for text in (shown, report_csv(r)):
        for secret in pseudonyms + [month.CONTACT, month.HIDDEN_IDEA, month.PENDING_IDEA] + list(month.CARDS):
            assert secret not in text
    assert "Ein Klettergerüst auf dem Hof der Grundschule" in shown      # approved: the funder may read it


def test_a_quarter_and_a_year_add_up_the_month(november):
    month_rows = collect(november, period_of(month.MONTH), month.END)
    for kind in ("quarter", "year"):
        r = collect(november, period_of(month.MONTH, kind), month.END)
        assert r.booth.loans == month_rows.booth.loans and r.ideas.received == month_rows.ideas.received
        assert r.kiosk.offers_opened == month_rows.kiosk.offers_opened
        assert r.garden.dry_days == month_rows.garden.dry_days


def test_dry_days_follow_the_threshold_staff_set_in_the_console(november):
    """The garden alerts by a threshold changed in the console (kept in garden.sqlite); the report counts
    dry days by the same one. The month's dry spell is at 22 %, the rest at 55 %."""
    from kiosk.garden.store import GardenStore

    with GardenStore.open(november) as store:
        store.set_thresholds("bed-1", {"dry_below": 20.0, "ok_above": 25.0}, 0.0)
    assert collect(november, period_of(month.MONTH), month.END).garden.dry_days == 0
    with GardenStore.open(november) as store:
        store.set_thresholds("bed-1", {"dry_below": 60.0, "ok_above": 65.0}, 0.0)
    assert collect(november, period_of(month.MONTH), month.END).garden.dry_days == 30 - E["silent_days"]   # every November day it reported

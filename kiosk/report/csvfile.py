"""The report's figures as CSV, for a spreadsheet: the same rows the PDF shows (words.rows)."""

from __future__ import annotations

from kiosk.csvfiles import csv_text
from kiosk.report.figures import Report
from kiosk.report.words import rows

COLUMNS = ("Zeitraum", "Bereich", "Kennzahl", "Wert", "Einheit")


def report_csv(report: Report) -> str:
    label = report.period.label
    return csv_text(COLUMNS, ({"Zeitraum": label, "Bereich": section, "Kennzahl": figure, "Wert": value,
                               "Einheit": unit} for section, figure, value, unit in rows(report)))

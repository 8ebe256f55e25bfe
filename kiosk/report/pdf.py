"""The report as an A4 PDF: figures in plain German, with charts where people would rather look.

ReportLab draws text and charts (reportlab.graphics) in one library of pure Python and C
extensions, so a Pi Zero 2 W makes a year's report without matplotlib's memory (bench/bench_report.py).
"""

from __future__ import annotations

import io
import logging

from kiosk.pdfstyle import GREY, LIGHT, ORANGE, TEAL, fonts as _fonts  # first: it sets ReportLab up

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from kiosk.report import words
from kiosk.report.figures import Report

log = logging.getLogger(__name__)

RED = colors.HexColor("#c0392b")
WIDTH = A4[0] - 36 * mm


def report_pdf(report: Report) -> bytes:
    """The PDF file's bytes (see module doc)."""
    table = words.rows(report)
    plain, bold = _fonts([f"{label} {value} {unit}" for _, label, value, unit in table] + [
        f"{idea['text']} {idea['answer']}" for idea in (report.ideas.top_approved if report.ideas else [])])
    s = _Styles(plain, bold)
    story: list = [Paragraph(escape(words.OFFICE), s.office), Paragraph(escape(words.MOTTO), s.motto),
                   Spacer(1, 4 * mm), Paragraph(escape(f"Bericht: {report.period.label}"), s.title),
                   Paragraph(escape(_intro(report)), s.body), Spacer(1, 3 * mm)]
    sections: dict[str, list] = {}
    for section, label, value, unit in table:
        sections.setdefault(section, []).append((label, value, unit))
    charts = _charts(report, plain)
    for key, title in words.SECTIONS.items():
        if title not in sections:
            continue
        block = [Paragraph(escape(title), s.heading), _table(sections[title], s)]
        story.append(KeepTogether(block))
        for chart in charts.get(key, []):
            story.extend([Spacer(1, 2 * mm), KeepTogether(chart)])
        if key == "ideas" and report.ideas and report.ideas.top_approved:
            story.append(KeepTogether(_top_ideas(report, s)))
    story.extend([Spacer(1, 6 * mm), Paragraph(escape(_privacy_note()), s.small)])
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"{words.OFFICE} – Bericht {report.period.label}",
                            author=words.OFFICE, lang="de-DE")
    footer = f"{words.OFFICE} · {words.MOTTO} · Bericht {report.period.label}"

    def page(canvas, doc_) -> None:
        canvas.saveState()
        canvas.setFont(plain, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Seite {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()


class _Styles:
    def __init__(self, plain: str, bold: str):
        self.office = ParagraphStyle("office", fontName=bold, fontSize=20, leading=24, textColor=TEAL)
        self.motto = ParagraphStyle("motto", fontName=plain, fontSize=12, leading=15, textColor=ORANGE)
        self.title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceBefore=2 * mm)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=13, leading=16, textColor=TEAL,
                                      spaceBefore=5 * mm, spaceAfter=2 * mm)
        self.body = ParagraphStyle("body", fontName=plain, fontSize=10, leading=13, alignment=TA_LEFT)
        self.cell = ParagraphStyle("cell", fontName=plain, fontSize=9.5, leading=12)
        self.small = ParagraphStyle("small", fontName=plain, fontSize=8, leading=10, textColor=GREY)
        self.plain, self.bold = plain, bold


def _intro(report: Report) -> str:
    period = report.period
    return (f"Was im Zeitraum {period.first:%d.%m.%Y} bis {period.last:%d.%m.%Y} an der Station des "
            f"Stadtteilbüros los war: Bücher, Ideen aus der Nachbarschaft, der Bildschirm im Schaufenster "
            f"und das Kräuterbeet. Erstellt am {report.made:%d.%m.%Y}.")


def _privacy_note() -> str:
    return ("Alle Zahlen sind Zählungen. Der Bericht enthält keine Namen, keine Ausweisnummern und keine "
            "Kontaktdaten. Ideen stehen hier nur, wenn das Team sie freigegeben hat. Der Bildschirm zählt nur, "
            "wie oft etwas pro Tag benutzt wurde, nicht wer es war.")


def _value(value: object, unit: str) -> str:
    if value == "" or value is None:
        return unit or words.NO_DATA
    text = f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value).replace(".", ",")
    if unit == "%":
        return f"{text} %"
    return f"{text} {unit}".strip()


def _table(rows: list[tuple[str, object, str]], s: _Styles) -> Table:
    data = [[Paragraph(escape(label), s.cell), Paragraph(escape(_value(value, unit)), s.cell)]
            for label, value, unit in rows]
    table = Table(data, colWidths=[WIDTH * 0.72, WIDTH * 0.28])
    table.setStyle(TableStyle([("ROWBACKGROUNDS", (0, 0), (-1, -1), [colors.white, LIGHT]),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _top_ideas(report: Report, s: _Styles) -> list:
    block = [Paragraph("Freigegebene Ideen mit der meisten Zustimmung", s.heading)]
    for idea in report.ideas.top_approved:
        status = words.STATUSES.get(idea["status"], idea["status"])
        agreed = f"{idea['plus_ones']} Zustimmung" + ("" if idea["plus_ones"] == 1 else "en")
        line = f"Nr. {idea['number']} ({status}, {agreed}): {idea['text']}"
        if idea["answer"]:
            line += f" – Antwort: {idea['answer']}"
        block.append(Paragraph(escape(line), s.cell))
    return block


# --- charts ------------------------------------------------------------------------------------------

def _charts(report: Report, font: str) -> dict[str, list[Drawing]]:
    charts: dict[str, list[Drawing]] = {}
    b, i, k, g = report.booth, report.ideas, report.kiosk, report.garden
    if b is not None and b.loans_per_week:
        charts["booth"] = [_columns("Ausleihen pro Woche", [f"KW {w[-2:]}" for w, _ in b.loans_per_week],
                                    [n for _, n in b.loans_per_week], font)]
    if i is not None and i.received:
        statuses = {words.STATUSES[key]: i.by_status.get(key, 0) for key in words.STATUSES}
        statuses["nicht freigegeben"] = i.received - i.approved
        charts["ideas"] = [
            _bars("Ideen nach Thema", [words.CATEGORIES.get(c, c) for c in i.by_category],
                  list(i.by_category.values()), font),
            _bars("Was aus den Ideen wurde", list(statuses), list(statuses.values()), font)]
    if k is not None:
        kiosk_charts = []
        if k.top_offers:
            kiosk_charts.append(_bars("Die meistgesehenen Angebote", [t for t, _ in k.top_offers],
                                      [n for _, n in k.top_offers], font))
        if k.languages:
            kiosk_charts.append(_bars("Gewählte Sprachen", [words.language_name(c) for c in k.languages],
                                      list(k.languages.values()), font))
        charts["kiosk"] = kiosk_charts
    if g is not None and any(low is not None for _, low in g.daily):
        charts["garden"] = [_moisture(g, font)]
    return charts


def _frame(title: str, height: float, font: str) -> Drawing:
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10.5, fillColor=colors.black))
    return drawing


def _columns(title: str, labels: list[str], values: list[int], font: str) -> Drawing:
    drawing = _frame(title, 150, font)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 30, WIDTH - 40, 95
    chart.data = [values]
    chart.bars[0].fillColor = TEAL
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, _step(max(values, default=0)))
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7 if len(labels) > 20 else 8
    if len(labels) > 20:                       # a year's 53 weeks: every fourth label
        chart.categoryAxis.categoryNames = [name if n % 4 == 0 else "" for n, name in enumerate(labels)]
    drawing.add(chart)
    return drawing


def _bars(title: str, labels: list[str], values: list[int], font: str) -> Drawing:
    labels = [label if len(label) <= 38 else label[:37] + "…" for label in labels]
    row = 14
    height = 30 + row * max(1, len(labels))
    drawing = _frame(title, height + 16, font)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 170, 14, WIDTH - 200, height - 20
    # Listed top down, as read: ReportLab draws the first category at the bottom.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.bars[0].fillColor = ORANGE
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = max(1, _step(max(values, default=0)))
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 8
    drawing.add(chart)
    return drawing


def _moisture(g, font: str) -> Drawing:
    drawing = _frame("Bodenfeuchte (niedrigster Wert am Tag, %) – rote Punkte: Warnung „zu trocken“", 170, font)
    first = g.daily[0][0]
    points = [((day - first).days + 1, low) for day, low in g.daily if low is not None]
    alerts = {day for day in g.alert_days}
    low_by_day = dict(g.daily)
    marks = [((day - first).days + 1, low_by_day.get(day) or 0) for day in sorted(alerts)]
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 25, WIDTH - 45, 115
    plot.data = [points] + ([marks] if marks else [])
    plot.lines[0].strokeColor = TEAL
    plot.lines[0].strokeWidth = 1.5
    if marks:
        plot.lines[1].strokeColor = None
        plot.lines[1].symbol = makeMarker("FilledCircle", size=5, fillColor=RED, strokeColor=RED)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 1, max(2, len(g.daily))
    plot.xValueAxis.valueStep = 7 if len(g.daily) <= 92 else 30
    plot.xValueAxis.labelTextFormat = lambda n: f"{_day_label(first, int(n))}"
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 100, 20
    plot.xValueAxis.labels.fontName = plot.yValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 8
    drawing.add(plot)
    return drawing


def _day_label(first, n: int) -> str:
    from datetime import timedelta

    return (first + timedelta(days=n - 1)).strftime("%d.%m.")


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return 10_000

"""/report ("Bericht"): the funders' report of a month, quarter or year, previewed and downloaded.

Opening the page shows last month; one more click downloads its PDF. The figures come from
kiosk.report, as for `kiosk admin report`; this page only reads the choice and renders.
"""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, render_template, request

from kiosk.console.i18n import N_, _
from kiosk.console.security import login_required
from kiosk.errors import BadValue
from kiosk.report.figures import collect
from kiosk.report.period import last_month, period_of
from kiosk.report.period import KINDS
from kiosk.report.words import rows

blueprint = Blueprint("report", __name__)

KIND_NAMES = {"month": N_("Monat"), "quarter": N_("Quartal"), "year": N_("Jahr")}


def _choice() -> tuple[str, str, str]:
    """(month, kind, problem) from the query; last month and "month" where nothing (valid) was given."""
    config = current_app.extensions["config"]
    today = datetime.now(timezone.utc).astimezone(ZoneInfo(config.station.timezone)).date()
    month, kind = request.args.get("month", ""), request.args.get("kind", "month")
    if not month:
        return last_month(today), kind if kind in KINDS else "month", ""
    try:
        period_of(month, kind)
    except BadValue:
        return last_month(today), "month", _("Wähl einen Monat aus der Liste (Jahr und Monat).")
    return month, kind, ""


def _figures(period):
    # With the booth on another Pi, its counts come from the summary the console keeps from the bus.
    view = current_app.extensions.get("station")
    summary = view.snapshot().booth_summary if view is not None else None     # already a checked Summary
    return collect(current_app.extensions["config"], period, booth_summary=summary)


@blueprint.route("/report")
@login_required
def index():
    month, kind, problem = _choice()
    period = period_of(month, kind)
    figures = _figures(period)
    sections: dict[str, list] = {}
    for section, label, value, unit in rows(figures):
        sections.setdefault(section, []).append((label, value, unit))
    return render_template("report.html", period=period, month=month, kind=kind, kinds=KIND_NAMES,
                           sections=sections, problem=problem), 400 if problem else 200


@blueprint.route("/report.pdf")
@login_required
def pdf():
    from kiosk.report.pdf import report_pdf      # ReportLab is loaded only when a PDF is asked for

    month, kind, problem = _choice()
    period = period_of(month, kind)
    return _download(report_pdf(_figures(period)), "application/pdf",
                     f"bericht-{period.slug}.pdf", problem)


@blueprint.route("/report.csv")
@login_required
def csv():
    from kiosk.report.csvfile import report_csv

    month, kind, problem = _choice()
    period = period_of(month, kind)
    return _download(report_csv(_figures(period)).encode("utf-8-sig"),
                     "text/csv; charset=utf-8", f"bericht-{period.slug}.csv", problem)


def _download(data: bytes, mimetype: str, name: str, problem: str) -> Response:
    if problem:
        return Response(problem, status=400, mimetype="text/plain")
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})

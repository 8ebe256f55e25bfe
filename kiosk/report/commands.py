"""The report's part of the `kiosk` command line (argparse only; work is imported lazily)."""

from __future__ import annotations

from kiosk.command_handlers import lazy


def register(commands, admin) -> None:
    report = admin.add_parser(
        "report", help="the month (quarter, year) in figures for funders: PDF and CSV",
        description="Counts loans, ideas, kiosk use and the herb bed of a period. Without --month: last month.")
    report.add_argument("--month", metavar="YYYY-MM", help="the month, or a month of the quarter or year")
    span = report.add_mutually_exclusive_group()
    span.add_argument("--quarter", action="store_true", help="the quarter the month lies in")
    span.add_argument("--year", action="store_true", help="the whole year of the month")
    report.add_argument("--pdf", metavar="FILE", help="write the PDF here")
    report.add_argument("--csv", metavar="FILE", help="write the CSV here")
    report.set_defaults(run=lazy("kiosk.report.admin", "report"))

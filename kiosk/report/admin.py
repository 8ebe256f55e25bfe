"""`kiosk admin report`: write the period's PDF and CSV, and print the figures."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.errors import StoreError
from kiosk.report.figures import collect
from kiosk.report.period import last_month, period_of
from kiosk.report.words import rows


def report(config, args) -> int:
    now = datetime.now(timezone.utc)
    month = args.month or last_month(now.astimezone(ZoneInfo(config.station.timezone)).date())
    period = period_of(month, "quarter" if args.quarter else "year" if args.year else "month")
    summary = None
    if not (config.data_dir / "booth.sqlite").exists():     # the booth runs on another Pi
        from kiosk.report.remote import booth_summary

        summary = booth_summary(config)
    figures = collect(config, period, now, booth_summary=summary)
    if args.pdf:
        from kiosk.report.pdf import report_pdf     # ReportLab only when a PDF is wanted

        write_file(Path(args.pdf), report_pdf(figures))
    if args.csv:
        from kiosk.report.csvfile import report_csv

        write_file(Path(args.csv), report_csv(figures).encode("utf-8-sig"))   # BOM: Excel reads the umlauts
    print(f"Bericht {period.label}")
    for section, label, value, unit in rows(figures):
        print(f"{section}: {label}: {value if value != '' else ''} {unit}".rstrip())
    for path in (args.pdf, args.csv):
        if path:
            print(f"written: {path}")
    return 0


def write_file(path: Path, data: bytes) -> None:
    """Write a made file (its folder too); raises StoreError naming the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}; choose another file") from exc

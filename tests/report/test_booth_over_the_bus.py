"""The booth on a second Pi: the report of this month gets its counts from the retained summary."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from kiosk.booth.messages import MonthCounts, Summary
from kiosk.bus import Bus
from kiosk.clock import iso
from kiosk.cli import main


def test_without_booth_sqlite_the_months_counts_come_from_the_bus(make_config, broker, tmp_path, capsys):
    config = make_config(broker.port)
    now = datetime.now(timezone.utc)
    sender = Bus(config, "booth")
    sender.start()
    assert sender.wait_connected(10)
    summary = Summary(iso(now), 2, (), MonthCounts(loans=17, returns=11, readers=6, new_books=3))
    sender.publish(sender.topics.booth_summary(), summary.to_payload(), qos=1, retain=True)
    sender.stop()                              # the summary stays: it is retained
    this_month = now.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m")
    table = tmp_path / "r.csv"
    assert main(["--config", str(tmp_path / "station.toml"), "admin", "report", "--month", this_month,
                 "--csv", str(table)]) == 0
    figures = {row["Kennzahl"]: row["Wert"] for row in csv.DictReader(io.StringIO(table.read_text("utf-8-sig")))}
    assert (figures["Ausleihen"], figures["Rückgaben"], figures["Neue Bücher"]) == ("17", "11", "3")
    assert not (config.data_dir / "booth.sqlite").exists()


def test_without_booth_sqlite_and_without_a_broker_the_report_says_no_data(make_config, tmp_path):
    make_config(1)                              # nothing listens on port 1
    table = tmp_path / "r.csv"
    assert main(["--config", str(tmp_path / "station.toml"), "admin", "report", "--month", "2026-11",
                 "--csv", str(table)]) == 0
    rows = list(csv.DictReader(io.StringIO(table.read_text("utf-8-sig"))))
    assert {"Bereich": "Bücherzelle", "Kennzahl": "Ausleihen", "Wert": "", "Einheit": "keine Daten"}.items() <= \
        next(r for r in rows if r["Kennzahl"] == "Ausleihen").items()

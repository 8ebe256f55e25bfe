"""The funders' report of a busy year: time and peak memory of `kiosk admin report --year`.

Station side: a year (2025) of a busy station in a fresh data folder: 200 loans at the booth (through
its rules and store, as taps make them), 300 ideas (a third approved, some answered), 50,000 rows of
kiosk day counters, and the herb bed's readings every minute (525,600 rows). Then, in a fresh
process each, `python -m kiosk admin report --month 2025-06 --year --pdf --csv` — the real
command, reading the real files — and, in the same run, the bare peer
`python -c "import reportlab.platypus, reportlab.graphics.charts..."` (the PDF and chart
libraries alone: what any report costs before it counts anything).

Measured per process with wait4(): wall time (the fastest of 7 interleaved runs) and ru_maxrss
(the peak resident set).
Goals (issue 11): peak RSS < 120 MB; time <= 3x the bare import.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import common

GOAL_MB, GOAL_RATIO = 120.0, 3.0
RUNS, QUICK_RUNS = 7, 1
BARE = ("import reportlab.platypus, reportlab.graphics.charts.barcharts, reportlab.graphics.charts.lineplots, "
        "reportlab.graphics.shapes")
BERLIN = ZoneInfo("Europe/Berlin")
YEAR = 2025


def seed(config, quick: bool) -> None:
    from kiosk.booth.store import BoothStore
    from kiosk.garden.store import GardenStore, StoredReading
    from kiosk.ideas.store import CATEGORIES, IdeaStore
    from kiosk.usage import UsageStore
    from tests.report.month import borrow, give_back

    start = datetime(YEAR, 1, 2, 10, tzinfo=BERLIN)
    with BoothStore.open(config) as store:
        books = [f"b{n:07x}" for n in range(1, 61)]
        cards = [f"c{n:07x}" for n in range(1, 41)]
        for n, tag in enumerate(books):
            store.add_book(tag, f"Buch Nummer {n + 1}", now=start)
        for tag in cards:
            store.add_card(tag, now=start)
        for n in range(200):                    # 200 loans, each book back after 12 days
            moment = start + timedelta(hours=n * 40)
            book = books[n % len(books)]
            borrow(store, cards[n % len(cards)], [book], moment)
            give_back(store, book, moment + timedelta(days=12))
    clock = [start.timestamp()]
    with IdeaStore.open(config, clock=lambda: clock[0]) as store:
        for n in range(300):
            clock[0] = start.timestamp() + n * 86400 * 360 / 300
            idea = store.submit(f"Idee Nummer {n + 1} für den Stadtteil", CATEGORIES[n % len(CATEGORIES)])
            if n % 3 == 0:
                store.moderate(idea.id, "approve")
                if n % 2 == 0:
                    clock[0] += 3 * 86400
                    store.set_answer(idea.id, "Danke, wir kümmern uns.")
    day_keys = [f"offer:angebot-{n}" for n in range(100)] + [f"screen:s{n}" for n in range(10)] + \
        [f"finder:a{n}:t{m}" for n in range(5) for m in range(5)] + ["lang:de", "read_aloud"]
    counts = {}
    for d in range(365):
        day = (datetime(YEAR, 1, 1) + timedelta(days=d)).strftime("%Y-%m-%d")
        counts.update({(day, key): 1 + (d + i) % 7 for i, key in enumerate(day_keys)})
    with UsageStore.open(config) as store:
        store.add(counts)
    step_ms = 600_000 if quick else 60_000
    first = int(datetime(YEAR, 1, 1, tzinfo=BERLIN).timestamp() * 1000)
    last = int(datetime(YEAR + 1, 1, 1, tzinfo=BERLIN).timestamp() * 1000)
    with GardenStore.open(config) as store:
        batch, seq = [], 0
        for ts in range(first, last, step_ms):
            seq += 1
            moisture = 25.0 + 30.0 * ((ts // 86_400_000) % 20) / 20
            batch.append(StoredReading("bed-1", ts, seq, 40000, moisture))
            if len(batch) >= 50_000:
                store.record(batch, [], [])
                batch = []
        store.record(batch, [], [])
    print(f"  seeded: 200 loans, 300 ideas, {len(counts):,} counter rows, {seq:,} moisture readings")


def main() -> None:
    args = common.quick_flag(__doc__)
    runs = QUICK_RUNS if args.quick else RUNS
    common.header("report of a busy year", "kiosk admin report --year vs. the bare import of ReportLab")
    with common.seeded("report", __file__, *(["--quick"] if args.quick else [])) as (folder, path):
        report = [common.PYTHON, "-m", "kiosk", "--config", str(path), "admin", "report", "--month", f"{YEAR}-06",
                  "--year", "--pdf", str(folder / "bericht.pdf"), "--csv", str(folder / "bericht.csv")]
        bare = [common.PYTHON, "-c", BARE]
        (t, peak), (bt, bare_peak) = common.interleaved(report, bare, runs)
        size = (folder / "bericht.pdf").stat().st_size
    print(f"  kiosk admin report --year: {t * 1000:7.0f} ms, peak RSS {peak:6.1f} MB (PDF {size / 1000:.0f} kB)")
    print(f"  bare import of ReportLab:  {bt * 1000:7.0f} ms, peak RSS {bare_peak:6.1f} MB")
    print(f"  time ratio {t / bt:.2f} x, memory ratio {peak / bare_peak:.2f} x")
    if args.quick:
        print("(quick run: moisture every 10 minutes and one run only, not a measurement)")
    common.verdict(f"peak RSS of kiosk admin report --year < {GOAL_MB:.0f} MB ({peak:.1f} MB)",
                   peak < GOAL_MB)
    common.verdict(f"time of kiosk admin report --year <= {GOAL_RATIO:.0f} x the bare import ({t / bt:.2f} x)",
                   t / bt <= GOAL_RATIO)


if __name__ == "__main__":
    if len(os.sys.argv) > 2 and os.sys.argv[1] == "--seed":
        from kiosk import config as config_mod

        seed(config_mod.load(os.sys.argv[2]), "--quick" in os.sys.argv)
    else:
        main()

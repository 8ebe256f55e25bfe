"""`kiosk admin` tasks of the garden; they work on garden.sqlite directly, running or not."""

from __future__ import annotations

import json
import time

from kiosk.garden.calibration import calibrate_node
from kiosk.garden.store import GardenStore


def calibrate(config, args) -> int:
    with GardenStore.open(config) as store:
        raw = calibrate_node(config, store, args.node, args.point, time.time())
    where = "dry air / dry soil (0 %)" if args.point == "dry" else "water / soaked soil (100 %)"
    print(f"{args.node}: saved raw {raw} as the {args.point} point — {where}. "
          f"kiosk garden uses it from the next reading on.")
    return 0


def readings(config, args) -> int:
    with GardenStore.open(config) as store:
        series = store.series(args.node, args.span, time.time())
    if args.json:
        print(json.dumps(series.to_payload(), ensure_ascii=False, indent=2))
        return 0
    print(f"{args.node}, last {args.span}, {series.bucket_s // 60} min per line")
    print(f"{'time (UTC)':<22}{'min %':>7}{'avg %':>7}{'max %':>7}{'n':>6}")
    for p in series.points:
        print(f"{p.ts:<22}{_pct(p.min)}{_pct(p.avg)}{_pct(p.max)}{p.n:>6}")
    if not series.points:
        print("(no readings in this period)")
    return 0


def _pct(value) -> str:
    return f"{'—':>7}" if value is None else f"{value:>7.1f}"

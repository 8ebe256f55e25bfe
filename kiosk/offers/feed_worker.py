"""The process that reads one calendar feed, so that a hostile feed costs the kiosk nothing.

    python -m kiosk.offers.feed_worker  < request.json  > answer.json

kiosk/offers/feeds.py starts one per feed and stops it when it overruns. Here
it confines itself first: an address-space limit (a runaway rule raises
MemoryError instead of filling the Pi), a CPU limit (an orphaned worker cannot
spin on) and the highest OOM score (should memory run out anyway, the kernel
ends this process, not the kiosk). Its main thread lets time budgets interrupt
the calendar libraries (kiosk/offers/budget.py).

The answer is {"offers": [...], "cut": [...], "warning"?: "..."} or {"problem": "..."}.
"""

from __future__ import annotations

import json
import math
import resource
import sys
from datetime import datetime
from pathlib import Path

from kiosk.offers.feeds import FeedLimits, FeedProblem, offer_as_json, save_copy


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    limits = FeedLimits(**request["limits"])
    _confine(limits, download=request["mode"] == "live")
    try:
        answer = _answer(request, limits)
    except FeedProblem as exc:
        answer = {"problem": str(exc)}
    except MemoryError:
        answer = {"problem": f"calendar feed {request['source']} needs more than {limits.memory_mb} MB to read"}
    sys.stdout.buffer.write(json.dumps(answer).encode("ascii"))     # ASCII: whatever the locale
    return 0


def _answer(request: dict, limits: FeedLimits) -> dict:
    from kiosk.offers.fetch import fetch        # after _confine: the libraries load under the limits
    from kiosk.offers.ical import read_calendar

    source, copy = request["source"], Path(request["copy"])
    if request["mode"] == "live":
        raw = fetch(source, Path(request["base_dir"]), limits)
    else:
        raw = fetch(str(copy), copy.parent, limits)
    reading = read_calendar(raw, source, request["tz"], datetime.fromisoformat(request["now"]), limits)
    answer = {"offers": [offer_as_json(o) for o in reading.offers], "cut": list(reading.cut)}
    if request["mode"] == "live":
        try:
            save_copy(copy, raw)
        except OSError as exc:
            answer["warning"] = f"cannot save a copy of calendar feed {source} in {copy}: {exc.strerror or exc}"
    return answer


def _confine(limits: FeedLimits, download: bool) -> None:
    _lower(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    _lower(resource.RLIMIT_CPU, math.ceil(limits.deadline_s(download)))
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass                # not Linux: the other limits still hold


def _lower(kind: int, value: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


if __name__ == "__main__":
    sys.exit(main())

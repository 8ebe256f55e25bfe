"""Console pages: p50/p95 time to serve the Overview ("/") and the ideas queue, logged in.

Station side: a real `kiosk console` process (Flask behind Cheroot, as kiosk/console/service.py
builds it, plain HTTP on loopback) with a private Mosquitto, a staff account, 20 waiting ideas,
and the retained state the overview shows (four services online, three beds). The offers page
is measured too once the console has one (found by asking for /offers after logging in).

Bare peer, same run: Flask's hello world on the same Cheroot server with the console's thread
count, in a process of its own.

One client, one keep-alive connection per server (a browser tab), timed from sending the
request to the last byte of the answer. Requests are interleaved: each round asks every page
once, the order turning from round to round, so a noisy neighbour hits all pages alike.

Goal: each page's p95 ≤ 3 × the bare page's p95.
"""

from __future__ import annotations

import common
import web

GOAL_RATIO = 3.0
ROUNDS, QUICK_ROUNDS = 1500, 40
WARM_UP = 30


def main() -> None:
    args = common.quick_flag(__doc__)
    rounds = QUICK_ROUNDS if args.quick else ROUNDS
    common.header("console pages", f"time to serve each console page, logged in, against a bare Flask hello world "
                  f"on the same Cheroot server; {rounds} interleaved rounds")
    with web.console_and_bare("console-pages") as (_, _, station, peer):
        station.log_in()
        pages = {"overview": "/", "ideas": "/ideas"}
        if station.request("GET", "/offers")[0] == 200:
            pages["offers"] = "/offers"
        targets = [("bare", peer, "/")] + [(name, station, path) for name, path in pages.items()]
        times: dict[str, list[float]] = {name: [] for name, _, _ in targets}
        for round_no in range(-WARM_UP, rounds):
            turn = round_no % len(targets)
            for name, tab, path in targets[turn:] + targets[:turn]:
                took = tab.timed_get(path)
                if round_no >= 0:
                    times[name].append(took)

    base = times["bare"]
    base_p50, base_p95 = common.percentile(base, 0.5), common.percentile(base, 0.95)
    print(f"  {'bare Flask + Cheroot hello world':34s} p50 {base_p50 * 1000:7.2f} ms   p95 {base_p95 * 1000:7.2f} ms")
    for name in pages:
        p50, p95 = common.percentile(times[name], 0.5), common.percentile(times[name], 0.95)
        print(f"  {'console ' + name:34s} p50 {p50 * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   "
              f"ratio p50 {p50 / base_p50:5.2f} x   ratio p95 {p95 / base_p95:5.2f} x")
    if "offers" not in pages:
        print("  (the console has no /offers page yet: overview and ideas only)")
    if args.quick:
        print("(quick run: too few requests to mean anything)")
    for name in pages:
        ratio = common.percentile(times[name], 0.95) / base_p95
        common.verdict(f"{name} page p95 <= {GOAL_RATIO:.0f} x the bare page's p95 ({ratio:.2f} x)",
                       ratio <= GOAL_RATIO)


if __name__ == "__main__":
    main()

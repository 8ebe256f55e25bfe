"""Counting kiosk use: frame time of a touch with the counters on vs off, in the same run.

Station side: the real kiosk (KioskApp under Xvfb, the repository's offers). Each frame starts
with a touch's work — `go()` to the next screen in the round home → offers → offer list → offer
(each counted: screen, finder choice, offer) — then draws. Counting on: the real `Counting`,
writing usage.sqlite every half second (far more often than the kiosk's minute, so writes fall
into the measured frames). Counting off: the same app with a counter that does nothing.
Alternating rounds, the same frames each.

Goal (issue 11): no measurable difference, median frame time on ≤ 1.05 × off.
"""

from __future__ import annotations

import statistics

import common
from bench_ui_scroll import Timing, time_frames

GOAL = 1.05


class Off:
    """A counter that counts nothing: every call is a no-op."""

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def main() -> None:
    args = common.quick_flag(__doc__)
    rounds, per_round = (2, 20) if args.quick else (12, 80)
    common.header("counting kiosk use", f"frame time of a touch with counters on vs off, {rounds} alternating "
                  f"rounds of {per_round} frames")
    from kiosk.ui.main import prepare_kivy
    prepare_kivy(fullscreen=False, size=(800, 480), screenshot=True)
    from kiosk.ui import sample
    from kiosk.ui.app import KioskApp
    from kiosk.ui.driver import Driver
    from kiosk.usage import Counting, UsageStore

    timings = {"on": Timing(), "off": Timing()}
    ratios = []
    with common.scratch("counting") as folder:
        _path, config = common.write_config(folder, port=1, nodes=["bed-1"],
                                            extra=f'[ui]\noffers_file = "{common.REPO / "config" / "offers.toml"}"\n')
        app = KioskApp(config, size=(800, 480), connect=False, offers=sample.offers(config))
        counting = Counting(lambda: UsageStore.open(config), config.station.timezone, flush_s=0.5)
        offer_id = sample.offers(config)[0].id
        with Driver(app).start() as driver:
            driver.pump(10)
            tour = [lambda: app.go("home"), lambda: app.go("offers"),
                    lambda: app.screens.build("offers")._audience("children"),
                    lambda: app.screens.build("offer_list")._open(offer_id)]
            step_at = [0]

            def touch():
                tour[step_at[0] % len(tour)]()
                step_at[0] += 1
            for r in range(rounds):
                medians = {}
                for name in (("on", "off") if r % 2 == 0 else ("off", "on")):
                    app.usage = counting if name == "on" else Off()
                    batch = time_frames(timings[name], per_round, touch)
                    medians[name] = statistics.median(batch)
                ratios.append(medians["on"] / medians["off"])
            app.usage = Off()
        counting.close()
        with UsageStore.open(config) as store:
            counted = sum(store.totals("0000-01-01", "9999-12-31").values())
    on, off = timings["on"].median_ms(), timings["off"].median_ms()
    print(f"  counters written: {counted:,}")
    print(f"  frame with a touch, counting on:  median {on:6.2f} ms, 95th percentile {timings['on'].p95_ms():6.2f} ms")
    print(f"  frame with a touch, counting off: median {off:6.2f} ms, 95th percentile {timings['off'].p95_ms():6.2f} ms")
    print(f"  ratio on / off: median {on / off:.3f} (per round {min(ratios):.2f} to {max(ratios):.2f})")
    if args.quick:
        print("(quick run: smoke test only, figures not meaningful)")
    common.verdict(f"median frame time with counting ≤ {GOAL} × without ({on / off:.3f} x)", on / off <= GOAL)


if __name__ == "__main__":
    main()

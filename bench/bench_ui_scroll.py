"""Touch kiosk: frame time while scrolling the ideas wall of 10,000 ideas vs a bare Kivy RecycleView.

The peer is what a Kivy developer would write for the same list: a plain `RecycleView` with
Kivy's own `Label` as its row, 10,000 rows of the same ideas, the same row height and spacing,
filling the same screen area of the same window — in the same process, the same renderer
(under Xvfb: llvmpipe, in software) and the same run. Both lists move the same number of pixels
per frame, as a finger would, and frames are drawn as fast as they go (maxfps 0). Wall and peer
are measured in alternating rounds, so a busy neighbour on the machine hits both alike.

For information it also times the kiosk showing an empty screen (its top bar only): under a
software renderer that figure is mostly pixels, not our code, so it is no goal. Needs a display
(xvfb-run on a server).

Goal: the wall's median and 95th-percentile frame time each ≤ 1.2 × the peer's.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timezone

import common

GOAL = 1.2
PX_PER_FRAME = 40.0
TEXTS = ("Mehr Bänke am Spielplatz, damit Eltern sich ausruhen können.",
         "Çocuklar için ücretsiz bir yüzme kursu olsa çok güzel olur.",
         "نريد مكاناً يلتقي فيه الآباء والأمهات مع أطفالهم بعد المدرسة.",
         "Міський город для всіх сусідів: разом садити овочі.",
         "A repair café once a month in the neighbourhood office.")


def idea_text(i: int) -> str:
    return f"{TEXTS[i % len(TEXTS)]} #{i}"


def fill(store, count: int) -> None:
    now = datetime.now(timezone.utc).isoformat()

    def insert(conn):
        conn.executemany(
            "INSERT INTO ideas (text, category, created, created_s, state, status, plus_ones) "
            "VALUES (?, ?, ?, ?, 'approved', ?, ?)",
            [(idea_text(i), ("play", "green", "meeting", "clean", "other")[i % 5], now,
              1.7e9 + i, ("new", "in_progress", "implemented")[i % 3], i % 17) for i in range(count)])
    store.db.write(insert)


class Timing:
    """Frame times, and how much of each went to the buffer swap (where llvmpipe rasterises)."""

    def __init__(self):
        self.frames: list[float] = []
        self.without_swap: list[float] = []

    def median_ms(self) -> float:
        return statistics.median(self.frames) * 1000

    def p95_ms(self) -> float:
        return percentile(self.frames, 0.95) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_frames(timing: Timing, count: int, step=None) -> list[float]:
    """Draw `count` frames into `timing` (every one really drawn: an unchanged screen would skip
    drawing); returns this batch's frame times."""
    from kivy.base import EventLoop
    from kivy.core.window import Window

    flip = Window.flip
    swap = [0.0]

    def timed_flip(*a):
        t0 = time.perf_counter()
        flip(*a)
        swap[0] += time.perf_counter() - t0
    Window.flip = timed_flip
    batch = []
    try:
        for i in range(count):
            if step:
                step()
            Window.canvas.ask_update()
            swap[0] = 0.0
            t = time.perf_counter()
            EventLoop.idle()
            total = time.perf_counter() - t
            batch.append(total)
            timing.without_swap.append(total - swap[0])
    finally:
        Window.flip = flip
    timing.frames.extend(batch)
    return batch


def scroller(view):
    """A step function that moves a RecycleView PX_PER_FRAME down through its list and back."""
    moved = [0.0]

    def step():
        span = max(1.0, view.children[0].height - view.height)   # grows as the wall loads pages
        y = moved[0] % (2 * span)
        position = y if y <= span else 2 * span - y
        view.scroll_y = 1 - position / span
        moved[0] += PX_PER_FRAME
    return step


def plain_screen(name: str):
    """A Kivy Screen the kiosk can show: the app's clock asks the shown screen to tick."""
    from kivy.uix.screenmanager import Screen

    class PlainScreen(Screen):
        def tick(self) -> None:
            pass                # nothing of ours runs here; that is the point of the peer

    return PlainScreen(name=name)


def peer_screen(count: int, row_height: float, spacing: float):
    """The peer: Kivy's RecycleView with Kivy's Label rows, nothing of the kiosk in it."""
    from kivy.uix.recycleboxlayout import RecycleBoxLayout
    from kivy.uix.recycleview import RecycleView

    from kiosk.ui import theme

    view = RecycleView()
    rows = RecycleBoxLayout(orientation="vertical", default_size=(None, row_height), default_size_hint=(1, None),
                            size_hint_y=None, spacing=spacing)
    rows.bind(minimum_height=rows.setter("height"))
    view.add_widget(rows)
    view.viewclass = "Label"
    ink = theme.rgb(theme.INK)
    view.data = [{"text": idea_text(i), "color": ink} for i in range(count)]
    screen = plain_screen("peer")
    screen.add_widget(view)
    return screen, view


def main() -> None:
    args = common.quick_flag(__doc__)
    count = 2_000 if args.quick else 10_000
    # Many short rounds: on a shared machine the load changes within seconds, and alternating
    # often makes wall and peer meet the same neighbours.
    rounds, per_round = (2, 30) if args.quick else (10, 60)
    common.header("UI scrolling", f"frame time scrolling the ideas wall of {count} ideas vs a bare Kivy "
                  f"RecycleView of {count} label rows, {rounds} alternating rounds of {per_round} frames each")
    from kiosk.ui.main import prepare_kivy
    prepare_kivy(fullscreen=False, size=(800, 480), screenshot=True)
    from kiosk.ideas import IdeaStore
    from kiosk.ui.app import KioskApp
    from kiosk.ui.driver import Driver

    empty, wall, peer = Timing(), Timing(), Timing()
    round_ratios: list[float] = []
    with common.scratch("ui-scroll") as folder:
        _path, config = common.write_config(folder, port=1, nodes=["bed-1"])
        store = IdeaStore.open(config)
        fill(store, count)
        app = KioskApp(config, size=(800, 480), connect=False, ideas=store, offers=[])
        with Driver(app).start() as driver:
            app.sm.add_widget(plain_screen("empty"))
            app.sm.current = "empty"
            driver.pump(10)
            time_frames(empty, per_round)
            app.go("wall")
            driver.pump(20)
            wall_list = app.screens.build("wall").list
            layout = wall_list.children[0]
            screen, peer_list = peer_screen(count, layout.default_size[1], layout.spacing)
            app.sm.add_widget(screen)
            scroll = {"wall": scroller(wall_list), "peer": scroller(peer_list)}
            for r in range(rounds):
                medians = {}
                for name in (("wall", "peer") if r % 2 == 0 else ("peer", "wall")):
                    # Switch without app.go(), which would build the wall anew (and start at the top).
                    app.sm.current = name
                    driver.pump(5)
                    if (wall_list if name == "wall" else peer_list).get_root_window() is None:
                        raise RuntimeError(f"the {name} list being scrolled is not on screen")
                    batch = time_frames(wall if name == "wall" else peer, per_round, scroll[name])
                    medians[name] = statistics.median(batch) * 1000
                round_ratios.append(medians["wall"] / medians["peer"])
            loaded = len(wall_list.data)
        store.close()

    print(f"rows loaded while scrolling: wall {loaded} of {count} (page by page), peer {count} of {count}")
    print("frame time             median    95th percentile   without the buffer swap (median)")
    for name, timing in (("ideas wall", wall), ("bare RecycleView", peer), ("empty screen (info)", empty)):
        print(f"  {name:20s} {timing.median_ms():6.2f} ms   {timing.p95_ms():6.2f} ms         "
              f"{statistics.median(timing.without_swap) * 1000:6.2f} ms")
    print(f"median wall / peer per round: {min(round_ratios):.2f} to {max(round_ratios):.2f} "
          f"(median {statistics.median(round_ratios):.2f})")
    median_ratio, p95_ratio = wall.median_ms() / peer.median_ms(), wall.p95_ms() / peer.p95_ms()
    print(f"ratio wall / peer: median {median_ratio:.2f}, 95th percentile {p95_ratio:.2f}")
    print(f"(information) ratio wall / empty screen: median {wall.median_ms() / empty.median_ms():.2f}")
    if args.quick:
        print("(quick run: smoke test only, figures not meaningful)")
    common.verdict(f"wall median and 95th percentile frame ≤ {GOAL} × the bare RecycleView's",
                   median_ratio <= GOAL and p95_ratio <= GOAL)


if __name__ == "__main__":
    main()

"""Touch kiosk: frame time while scrolling an ideas wall of 10,000 ideas vs an empty screen.

One process, one window: the same KioskApp first shows an empty screen, then the ideas wall
(a RecycleView) with 10,000 approved ideas in several scripts; each frame moves the list a
step, as a finger would. Frames are drawn as fast as they go (maxfps 0); the median frame time
of each phase is reported. For reference it also times the empty screen with one plain rectangle
over the list's area: under a software renderer (Xvfb's llvmpipe) a frame costs what its pixels
cost, and that line shows what one layer there costs. Needs a display (xvfb-run on a server).

Goal: wall frame time ≤ 1.5 × empty-screen frame time.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timezone

import common

GOAL = 1.5
TEXTS = ("Mehr Bänke am Spielplatz, damit Eltern sich ausruhen können.",
         "Çocuklar için ücretsiz bir yüzme kursu olsa çok güzel olur.",
         "نريد مكاناً يلتقي فيه الآباء والأمهات مع أطفالهم بعد المدرسة.",
         "Міський город для всіх сусідів: разом садити овочі.",
         "A repair café once a month in the neighbourhood office.")


def fill(store, count: int) -> None:
    now = datetime.now(timezone.utc).isoformat()

    def insert(conn):
        conn.executemany(
            "INSERT INTO ideas (text, category, created, created_s, state, status, plus_ones) "
            "VALUES (?, ?, ?, ?, 'approved', ?, ?)",
            [(f"{TEXTS[i % len(TEXTS)]} #{i}", ("play", "green", "meeting", "clean", "other")[i % 5], now,
              1.7e9 + i, ("new", "in_progress", "implemented")[i % 3], i % 17) for i in range(count)])
    store.db.write(insert)


def frames(driver, count: int, step=None) -> list[float]:
    """Time `count` frames; every frame is really drawn (an unchanged screen would skip drawing)."""
    from kivy.base import EventLoop
    from kivy.core.window import Window
    out, cpu = [], []
    flip = Window.flip
    spent = [0.0]

    def timed_flip(*a):
        t0 = time.perf_counter()
        flip(*a)
        spent[0] += time.perf_counter() - t0
    Window.flip = timed_flip
    try:
        for i in range(count):
            if step:
                step(i)
            Window.canvas.ask_update()
            spent[0] = 0.0
            t = time.perf_counter()
            EventLoop.idle()
            total = time.perf_counter() - t
            out.append(total)
            cpu.append(total - spent[0])
    finally:
        Window.flip = flip
    driver.cpu = cpu
    return out


def plain_box_frames(driver, app, wall, count: int) -> list[float]:
    """Frames of the empty screen with one opaque rectangle over the list's area: what a single layer
    of pixels there costs in this renderer, so that the wall's ratio can be read against it."""
    from kivy.graphics import Color, Rectangle
    from kiosk.ui import theme

    x, y = wall.to_window(wall.x, wall.y)
    app.sm.current = "empty"
    driver.pump(5)
    empty = app.sm.get_screen("empty")
    with empty.canvas:
        Color(*theme.rgb(theme.CARD))
        box = Rectangle(pos=empty.to_widget(x, y), size=wall.size)
    driver.pump(5)
    try:
        return frames(driver, count)
    finally:
        empty.canvas.remove(box)


def main() -> None:
    args = common.quick_flag(__doc__)
    count = 2_000 if args.quick else 10_000
    n = 120 if args.quick else 600
    common.header("UI scrolling", f"frame time scrolling {count} ideas vs an empty screen")
    from kiosk.ui.main import prepare_kivy
    prepare_kivy(fullscreen=False, size=(800, 480), screenshot=True)
    from kivy.uix.screenmanager import Screen
    from kiosk.ideas import IdeaStore
    from kiosk.ui.app import KioskApp
    from kiosk.ui.driver import Driver

    with common.scratch("ui-scroll") as folder:
        path, config = common.write_config(folder, port=1, nodes=["bed-1"])
        store = IdeaStore.open(config)
        fill(store, count)
        app = KioskApp(config, size=(800, 480), connect=False, ideas=store, offers=[])
        with Driver(app).start() as driver:
            app.sm.add_widget(Screen(name="empty"))
            app.sm.current = "empty"
            driver.pump(10)
            empty = frames(driver, n)
            empty_cpu = driver.cpu
            app.go("wall")
            driver.pump(20)
            wall = app.screens["wall"].list
            span = max(1.0, wall.children[0].height - wall.height)
            px_per_frame = 40.0
            def scroll(i):
                # down through the list and back, like a finger flicking
                y = (i * px_per_frame) % (2 * span)
                position = y if y <= span else 2 * span - y
                wall.scroll_y = 1 - position / span
                if i % 50 == 0:
                    nonlocal_span[0] = max(1.0, wall.children[0].height - wall.height)
            nonlocal_span = [span]
            busy = frames(driver, n, scroll)
            busy_cpu = driver.cpu
            rows = len(wall.data)
            floor = plain_box_frames(driver, app, wall, n)
        store.close()
    e, w = statistics.median(empty) * 1000, statistics.median(busy) * 1000
    p95 = sorted(busy)[int(len(busy) * 0.95)] * 1000
    f = statistics.median(floor) * 1000
    print(f"rows loaded while scrolling: {rows} of {count}")
    print(f"median frame: empty {e:.2f} ms, wall {w:.2f} ms (95th percentile {p95:.2f} ms), ratio {w / e:.2f}")
    ec, wc = statistics.median(empty_cpu) * 1000, statistics.median(busy_cpu) * 1000
    print(f"without the buffer swap (Python + GL calls; the swap is where a software renderer like Xvfb's "
          f"llvmpipe rasterises): empty {ec:.2f} ms, wall {wc:.2f} ms")
    print(f"for reference, one plain card-coloured rectangle where the wall's list is, on the empty screen: "
          f"{f:.2f} ms, ratio {f / e:.2f}")
    common.verdict(f"wall frame ≤ {GOAL} × empty", w / e <= GOAL)


if __name__ == "__main__":
    main()

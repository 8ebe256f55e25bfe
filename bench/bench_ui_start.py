"""Touch kiosk: cold start to the first rendered home screen, and peak RSS, vs a bare Kivy "hello world".

Both run as fresh processes in the same run, alternating, 5 times each (3 with --quick); the
median is reported. A process counts as started when the parent launches it and as ready when
the first frame after building has been drawn (the child prints a line then). Peak RSS is the
child's VmHWM after two more seconds of idle frames.

Needs a display: run it under `xvfb-run -a -s "-screen 0 1280x1280x24"` on a server.

Goals: kiosk start ≤ 1.5 × bare; kiosk VmHWM ≤ bare + 60 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import common

START_GOAL, RSS_GOAL_MB = 1.5, 60.0

BARE = r"""
import os, sys, time
os.environ.setdefault("KIVY_NO_ARGS", "1"); os.environ.setdefault("KIVY_NO_CONFIG", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1"); os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
from kivy.config import Config
Config.set("graphics", "width", "800"); Config.set("graphics", "height", "480")
from kivy.app import App
from kivy.clock import Clock
from kivy.uix.label import Label
def report(*_):
    hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
    print(json.dumps({"ready": time.monotonic(), "hwm_kib": int(hwm)}), flush=True)
import json
class Hello(App):
    def build(self):
        return Label(text="Hallo Batenbrock")
    def on_start(self):
        from kivy.core.window import Window
        Window.bind(on_flip=self._flipped)
    def _flipped(self, *_):
        from kivy.core.window import Window
        Window.unbind(on_flip=self._flipped)
        print(json.dumps({"first_frame": time.monotonic()}), flush=True)
        Clock.schedule_once(lambda dt: (report(), self.stop()), 2.0)
Hello().run()
"""

KIOSK = r"""
import json, sys, time
from kiosk import config as config_mod, logs
from kiosk.ui.main import prepare_kivy
prepare_kivy(fullscreen=False, size=(800, 480))
from kivy.clock import Clock
from kiosk.ui.app import KioskApp
config = config_mod.load(sys.argv[1])
class Bench(KioskApp):
    def on_start(self):
        super().on_start()
        from kivy.core.window import Window
        Window.bind(on_flip=self._flipped)
    def _flipped(self, *_):
        from kivy.core.window import Window
        Window.unbind(on_flip=self._flipped)
        print(json.dumps({"first_frame": time.monotonic()}), flush=True)
        def report(dt):
            hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
            print(json.dumps({"ready": time.monotonic(), "hwm_kib": int(hwm)}), flush=True)
            self._quitting = True
            self.stop()
        Clock.schedule_once(report, 2.0)
Bench(config).run()
"""


def run_once(script: Path, args: list[str]) -> tuple[float, float]:
    env = dict(os.environ, KIOSK_LOG_LEVEL="WARNING", PYTHONPATH=str(common.REPO))
    started = time.monotonic()
    proc = subprocess.run([common.PYTHON, str(script), *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=common.REPO)
    lines = [json.loads(l) for l in proc.stdout.splitlines() if l.startswith("{")]
    if proc.returncode != 0 or len(lines) < 2:
        raise RuntimeError(f"benchmark child failed:\n{proc.stderr[-2000:]}")
    return lines[0]["first_frame"] - started, lines[1]["hwm_kib"] * 1024 / 1e6


def main() -> None:
    args = common.quick_flag(__doc__)
    reps = 3 if args.quick else 5
    common.header("UI cold start and memory", "first rendered home screen and VmHWM, kiosk vs bare Kivy app")
    with common.scratch("ui-start") as folder:
        path, _config = common.write_config(folder, port=1, nodes=["bed-1"])
        text = path.read_text() + f'\n[ui]\nfullscreen = false\noffers_file = "{common.REPO / "config" / "offers.toml"}"\n'
        path.write_text(text)
        bare_py, kiosk_py = folder / "bare_hello.py", folder / "kiosk_start.py"
        bare_py.write_text(BARE)         # Kivy's App looks up its class's source file: no `python -c`
        kiosk_py.write_text(KIOSK)
        bare, kiosk = [], []
        for i in range(reps):
            pair = [("bare", bare_py, []), ("kiosk", kiosk_py, [str(path)])]
            for name, code, extra in (pair if i % 2 == 0 else pair[::-1]):
                (bare if name == "bare" else kiosk).append(run_once(code, extra))
    bare_t, kiosk_t = common.median([b[0] for b in bare]), common.median([k[0] for k in kiosk])
    bare_m, kiosk_m = common.median([b[1] for b in bare]), common.median([k[1] for k in kiosk])
    print(f"cold start: kiosk {kiosk_t:.2f} s, bare Kivy {bare_t:.2f} s, ratio {kiosk_t / bare_t:.2f}")
    common.verdict(f"kiosk start ≤ {START_GOAL} × bare", kiosk_t / bare_t <= START_GOAL)
    print(f"peak RSS: kiosk {kiosk_m:.1f} MB, bare Kivy {bare_m:.1f} MB, difference {kiosk_m - bare_m:.1f} MB")
    common.verdict(f"kiosk VmHWM ≤ bare + {RSS_GOAL_MB:.0f} MB", kiosk_m - bare_m <= RSS_GOAL_MB)


if __name__ == "__main__":
    main()

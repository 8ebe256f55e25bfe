"""Print the kiosk's accessibility figures for docs/ui.md: per screen at 800×480, the smallest text (German
and Arabic, normal and large text), the smallest touch target, the lowest text and edge contrast, and how
many texts come out smaller in large text than in normal text.

    xvfb-run -a python scripts/ui_figures.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.ui.main import prepare_kivy  # noqa: E402  (Kivy is configured before it is imported)

prepare_kivy(fullscreen=False, size=(800, 480), screenshot=True)

from kiosk import config as config_mod  # noqa: E402
from kiosk.ui import audit  # noqa: E402
from kiosk.ui.app import SCREENSHOT_SCREENS  # noqa: E402
from kiosk.ui.driver import Driver  # noqa: E402
from kiosk.ui.widgets import KLabel  # noqa: E402

LOOKS = (("de", False), ("de", True), ("ar", False), ("ar", True))


def main() -> None:
    config = config_mod.load(ROOT / "config" / "station.toml")      # --sample: its data stay untouched
    rows: dict[str, dict] = {name: {} for name in SCREENSHOT_SCREENS}
    sizes: dict[tuple, dict] = {}
    with Driver.for_config(config, size=(800, 480), sample=True, connect=False) as driver:
        for lang, large in LOOKS:
            driver.app.set_language(lang)
            if driver.app.large_text != large:
                driver.app.toggle_large_text()
            for name in SCREENSHOT_SCREENS:
                driver.app.idle.touched()
                driver.show(name)
                shown = list(driver.visible())
                rows[name][(lang, large)] = audit.figures(shown, driver.app)
                for label in (w for w in shown if isinstance(w, KLabel) and w.raw and audit.seen_box(w)):
                    key = (lang, name, label.raw)
                    sizes.setdefault(key, {})[large] = min(sizes.get(key, {}).get(large, 999), label.fitted_font)
            driver.app.staff = False
    print("| screen | smallest text, px (de / de A+ / ar / ar A+) | smallest target, mm | lowest text contrast "
          "| lowest edge contrast |")
    print("| --- | --- | --- | --- | --- |")
    for name, looks in rows.items():
        figures = list(looks.values())
        print(f"| {name} | {' / '.join(str(f.text_px) for f in figures)} | {min(f.target_mm for f in figures):.1f} "
              f"| {min(f.text_ratio for f in figures):.1f}:1 | {min(f.edge_ratio for f in figures):.1f}:1 |")
    both = [s for s in sizes.values() if len(s) == 2]
    print(f"\ntexts smaller in large text: {sum(s[True] < s[False] for s in both)} of {len(both)}")


if __name__ == "__main__":
    main()

"""What a person meets on the screen shown, measured on the real widget tree: touch targets in mm
(each axis by its own density, theme.PX_PER_MM), text sizes against the floor (theme.TEXT_FLOOR),
text and edge contrast (theme.contrast), text that does not fit its box, and buttons that lie on
one another. The layout tests fail on any `problems()`; `figures()` gives the numbers for docs/ui.md
(`scripts/ui_figures.py` prints them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kivy.uix.scrollview import ScrollView

from kiosk.ui import theme
from kiosk.ui.widgets import KLabel, Panel, ScissorClip, Tap

Box = tuple[float, float, float, float]


def window_box(widget) -> Box:
    x, y = widget.to_window(widget.x, widget.y)
    return x, y, x + widget.width, y + widget.height


def overlap(a: Box, b: Box) -> Box | None:
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


def ancestors(widget):
    parent = widget.parent
    while parent is not None and parent is not parent.parent:      # Kivy's window is its own parent
        yield parent
        parent = parent.parent


def seen_box(widget) -> Box | None:
    """The part of `widget` a person sees: clipped by every scrolling view around it (None: scrolled away)."""
    box = window_box(widget)
    for parent in ancestors(widget):
        if isinstance(parent, ScrollView):
            box = overlap(box, window_box(parent))
            if box is None:
                return None
    return box


def ground(widget, app):
    """The colour a widget stands on: the nearest filled panel around it, the bar, or the paper."""
    for parent in ancestors(widget):
        if parent is app.bar:
            return tuple(theme.rgb(theme.BAR))
        if isinstance(parent, Panel) and parent.bg[3] > 0:
            return tuple(parent.bg)
    return tuple(theme.rgb(theme.PAPER))


def floor(label, app) -> int:
    """The smallest text allowed for `label`: the staff floor inside the staff screen, else the public one."""
    staff = app.sm.current_screen.name == "staff" and app.bar not in set(ancestors(label))
    return replace(app.metrics, floor=theme.STAFF_TEXT_FLOOR if staff else theme.TEXT_FLOOR).least


def taps(widgets) -> list[Tap]:
    return [w for w in widgets if isinstance(w, Tap) and w.enabled and w.opacity > 0 and seen_box(w) is not None]


def target_mm(tap, app) -> tuple[float, float]:
    """(across, up and down) in mm on the 7" display, for the kiosk's size scaled down to 800×480."""
    scale = app.metrics.scale
    return tap.width / scale / theme.PX_PER_MM[0], tap.height / scale / theme.PX_PER_MM[1]


def text_contrasts(widgets, app) -> list[tuple[float, str]]:
    """(ratio, what) for every text a person reads, on its ground, normal and pressed."""
    out = []
    for label in (w for w in widgets if isinstance(w, KLabel) and w.raw and w.opacity > 0):
        on = ground(label, app)
        tap = next((p for p in ancestors(label) if isinstance(p, Tap)), None)
        looks = [("", on)]
        if tap is not None and on == tuple(tap.bg):
            looks = [("", tuple(tap._base)), (" pressed", theme.pressed(tuple(tap._base)))]
        for state, bg in looks:
            out.append((theme.contrast(tuple(label.color), bg), f"text {label.raw[:24]!r}{state}"))
    return out


def edge_contrasts(widgets, app) -> list[tuple[float, str]]:
    """(ratio, what) for every edge a person must see to find a control or see that more is hidden."""
    out = []
    for tap in taps(widgets):
        fill, below = tuple(tap._base), ground(tap, app)
        edge = max(theme.contrast(fill, below), theme.contrast(tuple(tap.border), below) if tap.border[3] else 1.0)
        out.append((edge, f"edge of {tap.tag or type(tap).__name__}"))
    for view in (w for w in widgets if isinstance(w, ScissorClip)):
        out.append((theme.contrast(tuple(view.bar_inactive_color), ground(view, app)), "scroll bar"))
    return out


def overflow(label, app) -> str | None:
    """Why `label`'s text does not fit its box, or None."""
    label.fit_now()
    if label.width < 4 or label.height < 4:
        return f"{label.raw[:30]!r} has no room ({label.width:.0f}×{label.height:.0f})"
    if label.overflow:
        need = label.needed()
        return f"{label.raw[:30]!r} needs {need[0]}×{need[1]} px in {label.width:.0f}×{label.height:.0f}"
    label.texture_update()
    tw, th = label.texture_size
    if tw > label.width + 1 or th > label.height + 1:
        return f"{label.raw[:30]!r} is drawn {tw}×{th} px in {label.width:.0f}×{label.height:.0f}"
    screen = window_box(app.root_box)
    if not any(isinstance(p, ScrollView) for p in ancestors(label)):
        box = window_box(label)
        if box[0] < screen[0] - 1 or box[1] < screen[1] - 1 or box[2] > screen[2] + 1 or box[3] > screen[3] + 1:
            return f"{label.raw[:30]!r} lies partly off the screen"
    return None


def problems(widgets, app) -> list[str]:
    """Everything on the widgets shown that fails a person with low vision, a child or an older person."""
    widgets = list(widgets)
    out = []
    for tap in taps(widgets):
        across, up = target_mm(tap, app)
        if min(across, up) < theme.TARGET_MM:
            out.append(f"target {tap.tag or type(tap).__name__} is {across:.1f}×{up:.1f} mm")
    for label in (w for w in widgets if isinstance(w, KLabel) and w.raw and w.opacity > 0):
        if seen_box(label) is None:
            continue
        label.fit_now()
        if label.fitted_font < floor(label, app):
            out.append(f"text {label.raw[:30]!r} at {label.fitted_font} px, under {floor(label, app)} px")
        why = overflow(label, app)
        if why:
            out.append(f"overflow: {why}")
    out += [f"{what} {ratio:.2f}:1" for ratio, what in text_contrasts(widgets, app) if ratio < 4.5]
    out += [f"{what} {ratio:.2f}:1" for ratio, what in edge_contrasts(widgets, app) if ratio < 3.0]
    shown = taps(widgets)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            if a in set(ancestors(b)) or b in set(ancestors(a)):
                continue
            if overlap(seen_box(a), seen_box(b)):
                out.append(f"{a.tag or type(a).__name__} lies over {b.tag or type(b).__name__}")
    return out


@dataclass
class Figures:
    """The smallest and lowest of one screen."""

    text_px: int
    target_mm: float
    text_ratio: float
    edge_ratio: float


def figures(widgets, app) -> Figures:
    widgets = list(widgets)
    labels = [w for w in widgets if isinstance(w, KLabel) and w.raw and w.opacity > 0 and seen_box(w)]
    for label in labels:
        label.fit_now()
    return Figures(text_px=min((int(w.fitted_font) for w in labels), default=0),
                   target_mm=min((min(target_mm(t, app)) for t in taps(widgets)), default=0.0),
                   text_ratio=min((r for r, _ in text_contrasts(widgets, app)), default=21.0),
                   edge_ratio=min((r for r, _ in edge_contrasts(widgets, app)), default=21.0))

"""Colours and sizes of the kiosk: warm, high contrast, big touch targets.

Sizes are given for the official 7" display (800×480, about 5.2 px per mm) and
scaled by `Metrics.scale` = shorter screen side / 480, so a 1280×800 screen or a
720×1280 portrait screen shows the same layout, larger. A touch target is never
below `TOUCH_MIN` (56 px ≥ 10 mm on the 7" display, `TARGET_MM` asks for 9 mm), and no
text below `TEXT_FLOOR` (18 px; staff screens `STAFF_TEXT_FLOOR`).

Every text colour is paired with the background it is drawn on; `contrast()`
computes the WCAG ratio and a test holds every pair in `TEXT_PAIRS` to ≥ 4.5:1, also
on a pressed button (`pressed()`). Edges a person must see to find a control — the
outline of a white key on cream paper, a scroll bar, the on-state of A+ — are held
to ≥ 3:1 against what they stand on (`EDGE_PAIRS`, WCAG 1.4.11).
"""

from __future__ import annotations

from dataclasses import dataclass


def rgb(hex_colour: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


# --- palette ---------------------------------------------------------------------------
PAPER = "#FFF7EA"          # warm background
CARD = "#FFFFFF"
INK = "#1E2733"            # body text
INK_SOFT = "#4A5361"       # secondary text (still ≥ 4.5:1 on PAPER and CARD)
BAR = "#173F5F"            # top bar, deep blue
ON_DARK = "#FFFFFF"
TEAL = "#0B5F66"           # offers
ORANGE = "#A8410F"         # ideas
PURPLE = "#5A3A8A"         # book booth
GREEN = "#2D6A2F"          # herb bed
RED = "#A3162B"            # alerts, "please water me"
GOLD = "#FFD166"           # highlight on dark
ACCENT_SOFT = "#FCE9CF"    # soft highlight behind text
LINE = "#857560"           # outlines of white keys, tiles and cards: ≥ 3:1 on PAPER, CARD and ACCENT_SOFT
BAR_LINE = "#8DB3CF"       # outlines of the top bar's buttons on BAR
SCROLL_BAR = INK_SOFT      # the scroll bar: often the only sign that more is hidden below
GAUGE_DRY = RED            # the herb gauge's arcs on CARD (the gauge also says it in words)
GAUGE_WET = GREEN
GAUGE_QUIET = LINE         # both arcs while the sensor is silent

TILE_COLOURS = {"offers": TEAL, "idea": ORANGE, "booth": PURPLE, "herbs": GREEN}

# (text, background) pairs the UI draws; a test checks each is ≥ 4.5:1.
TEXT_PAIRS = (
    (INK, PAPER), (INK, CARD), (INK_SOFT, PAPER), (INK_SOFT, CARD), (INK, ACCENT_SOFT), (INK_SOFT, ACCENT_SOFT),
    (ON_DARK, BAR), (ON_DARK, TEAL), (ON_DARK, ORANGE), (ON_DARK, PURPLE), (ON_DARK, GREEN), (ON_DARK, RED),
    (GOLD, BAR), (RED, CARD), (RED, PAPER), (GREEN, CARD), (GREEN, PAPER), (TEAL, CARD), (PURPLE, CARD),
    (ORANGE, CARD), (TEAL, PAPER), (ORANGE, PAPER), (PURPLE, PAPER),
)

# (edge, what it stands on) pairs a person must tell apart to find or read a control; each ≥ 3:1.
EDGE_PAIRS = (
    (LINE, PAPER), (LINE, CARD), (LINE, ACCENT_SOFT),          # keys, tiles, language buttons, cards
    (BAR_LINE, BAR),                                           # top-bar buttons
    (GOLD, BAR),                                               # a switched-on bar button (A+)
    (SCROLL_BAR, PAPER), (SCROLL_BAR, CARD),
    (GAUGE_DRY, CARD), (GAUGE_WET, CARD), (GAUGE_QUIET, CARD),
    (INK, CARD), (INK, ACCENT_SOFT),                           # the outline of a selected button
    (TEAL, PAPER), (ORANGE, PAPER), (PURPLE, PAPER), (GREEN, PAPER), (BAR, PAPER),   # coloured tiles
)

# A pressed button darkens. A dark fill may darken a lot (its light text gains contrast); a light
# fill only a little, or coloured text on it (orange on paper) drops under 4.5:1.
PRESS_DARK = 0.78
PRESS_LIGHT = 0.9

TOUCH_MIN = 56             # px at scale 1 (7" display): 10.8 mm across, 10.0 mm up and down
# The official 7" display is not square-pixelled: 800 px span 154.2 mm, 480 px span 85.9 mm.
PX_PER_MM = (5.19, 5.59)   # (across, up and down), each axis by its own density
TARGET_MM = 9.0            # the smallest touch target, each way

# The smallest text, in px at scale 1. A text that does not fit its box may shrink to this and no
# further; below it the layout must give room (wrap, grow, scroll, fewer columns). 18 px is a
# line 3.5 mm high on the 7" display, what a child, an older person or one with low vision reads
# at arm's length through a shop window. Staff screens go to 15 px: staff are few, know the screen,
# and their tables (four loan counters in a row, the plot's axis, an idea with its buttons) would not
# fit at 18 px without hiding what staff look for.
TEXT_FLOOR = 18
STAFF_TEXT_FLOOR = 15


Colour = str | tuple[float, ...]


def luminance(colour: Colour) -> float:
    """WCAG relative luminance of "#RRGGBB" or an (r, g, b[, a]) tuple of 0…1."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (rgb(colour) if isinstance(colour, str) else colour)[:3]
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: Colour, bg: Colour) -> float:
    """WCAG 2 contrast ratio of two colours, 1.0 … 21.0."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def light(colour: Colour) -> bool:
    """True for a fill that takes dark text (paper, card, gold), False for one that takes white."""
    return contrast(colour, INK) > contrast(colour, ON_DARK)


def pressed(colour: Colour) -> tuple[float, float, float, float]:
    """The fill of a button while a finger is on it (see PRESS_DARK / PRESS_LIGHT)."""
    r, g, b, *a = rgb(colour) if isinstance(colour, str) else colour
    factor = PRESS_LIGHT if light(colour) else PRESS_DARK
    return (r * factor, g * factor, b * factor, a[0] if a else 1.0)


def selected_edge(fill: Colour) -> tuple[float, float, float, float]:
    """The outline that marks a switched-on button: ink on a light fill, gold on a dark one."""
    return rgb(INK if light(fill) else GOLD)


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one screen size; `text` grows all fonts (large-text option), `floor` is the
    smallest text (TEXT_FLOOR, or STAFF_TEXT_FLOOR on the staff screen)."""

    width: int
    height: int
    text: float = 1.0
    floor: float = TEXT_FLOOR

    @property
    def scale(self) -> float:
        return min(self.width, self.height) / 480.0

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def px(self, value: float) -> float:
        return round(value * self.scale)

    def font(self, value: float) -> int:
        return max(self.least, round(value * self.scale * self.text))

    @property
    def least(self) -> int:
        """The floor in px: no text is smaller. A larger screen scales the layout, but its pixels are
        no smaller than the 7" display's, so the floor does not grow with it."""
        return round(self.floor * min(self.scale, 1.0))

    def shrink(self, value: float, smallest: float | None = None) -> int:
        """How far a text of size `value` may shrink to fit its box: to `smallest` (default 60 %),
        never under the floor, and in large text never under its normal size — large text that
        comes out smaller than normal text helps nobody; there the layout must grow instead."""
        if self.text > 1.0:
            return max(self.least, round(value * self.scale))
        return max(self.least, round((smallest or value * 0.6) * self.scale))

    @property
    def bar(self) -> float:
        return self.px(64)

    @property
    def touch(self) -> float:
        return self.px(TOUCH_MIN)

    @property
    def gap(self) -> float:
        return self.px(10)

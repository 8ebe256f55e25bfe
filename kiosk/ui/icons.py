"""Big, simple line icons drawn with Kivy's canvas — no emoji font needed.

Each icon is a list of shapes in a unit square (0…1, origin bottom left), drawn
in one colour. `draw(canvas, name, x, y, size, colour)` puts one on a canvas;
`Icon` is a widget that keeps it centred in its box. Unknown names draw a star,
so a new offer icon keyword never breaks a screen.
"""

from __future__ import annotations

import math
from functools import lru_cache

from kivy.clock import Clock
from kivy.graphics import (ClearBuffers, ClearColor, Color, Ellipse, Fbo, Line, Mesh, PopMatrix, PushMatrix, Rectangle,
                           Rotate, RoundedRectangle)
from kivy.properties import ListProperty, StringProperty, BooleanProperty
from kivy.uix.widget import Widget

W = 0.075   # default stroke, in units of the icon size


def _person(cx: float, feet: float, height: float, w: float = W) -> list:
    head = height * 0.17
    neck = feet + height - 2 * head
    return [("circle", cx, feet + height - head, head),
            ("line", [(cx, neck), (cx, feet + height * 0.38)], w),
            ("line", [(cx - height * 0.22, feet), (cx, feet + height * 0.38), (cx + height * 0.22, feet)], w),
            ("line", [(cx - height * 0.24, neck - height * 0.22), (cx, neck - height * 0.06),
                      (cx + height * 0.24, neck - height * 0.22)], w)]


def _star(cx: float, cy: float, r: float) -> list:
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.45
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return [("fan", (cx, cy), points)]


def _heart(cx: float, cy: float, s: float) -> list:
    return [("circle", cx - 0.15 * s, cy + 0.08 * s, 0.17 * s), ("circle", cx + 0.15 * s, cy + 0.08 * s, 0.17 * s),
            ("fan", (cx, cy), [(cx - 0.31 * s, cy + 0.03 * s), (cx, cy - 0.32 * s), (cx + 0.31 * s, cy + 0.03 * s),
                               (cx, cy + 0.1 * s)])]


ICONS: dict[str, list] = {
    "home": [("line", [(0.12, 0.5), (0.5, 0.86), (0.88, 0.5)], W),
             ("line", [(0.24, 0.58), (0.24, 0.14), (0.76, 0.14), (0.76, 0.58)], W),
             ("line", [(0.42, 0.14), (0.42, 0.38), (0.58, 0.38), (0.58, 0.14)], W)],
    "back": [("line", [(0.62, 0.18), (0.3, 0.5), (0.62, 0.82)], 0.1)],
    "forward": [("line", [(0.38, 0.18), (0.7, 0.5), (0.38, 0.82)], 0.1)],
    "speaker": [("fan", (0.3, 0.5), [(0.1, 0.36), (0.28, 0.36), (0.5, 0.16), (0.5, 0.84), (0.28, 0.64), (0.1, 0.64)]),
                ("arc", 0.5, 0.5, 0.17, 45, 135, W), ("arc", 0.5, 0.5, 0.32, 40, 140, W)],
    "globe": [("ring", 0.5, 0.5, 0.38, W), ("ellipse_line", 0.5, 0.5, 0.17, 0.38, W),
              ("line", [(0.12, 0.5), (0.88, 0.5)], W * 0.8),
              ("line", [(0.2, 0.7), (0.8, 0.7)], W * 0.7), ("line", [(0.2, 0.3), (0.8, 0.3)], W * 0.7)],
    "calendar": [("line_rect", 0.14, 0.12, 0.72, 0.66, W), ("rect", 0.14, 0.6, 0.72, 0.18, 0.02),
                 ("line", [(0.32, 0.7), (0.32, 0.88)], W), ("line", [(0.68, 0.7), (0.68, 0.88)], W),
                 ("rect", 0.26, 0.4, 0.12, 0.1, 0.0), ("rect", 0.44, 0.4, 0.12, 0.1, 0.0),
                 ("rect", 0.62, 0.4, 0.12, 0.1, 0.0), ("rect", 0.26, 0.22, 0.12, 0.1, 0.0),
                 ("rect", 0.44, 0.22, 0.12, 0.1, 0.0)],
    "idea": [("ring", 0.5, 0.6, 0.24, W), ("line", [(0.4, 0.36), (0.4, 0.28), (0.6, 0.28), (0.6, 0.36)], W),
             ("line", [(0.42, 0.17), (0.58, 0.17)], W),
             ("line", [(0.5, 0.92), (0.5, 0.98)], W), ("line", [(0.16, 0.74), (0.1, 0.78)], W),
             ("line", [(0.84, 0.74), (0.9, 0.78)], W)],
    "book": [("line", [(0.5, 0.2), (0.5, 0.76)], W),
             ("line", [(0.5, 0.76), (0.1, 0.84), (0.1, 0.28), (0.5, 0.2), (0.9, 0.28), (0.9, 0.84), (0.5, 0.76)], W),
             ("line", [(0.2, 0.66), (0.4, 0.62)], W * 0.6), ("line", [(0.2, 0.5), (0.4, 0.46)], W * 0.6),
             ("line", [(0.6, 0.62), (0.8, 0.66)], W * 0.6), ("line", [(0.6, 0.46), (0.8, 0.5)], W * 0.6)],
    "herb": [("line", [(0.5, 0.08), (0.5, 0.74)], W),
             ("leaf", 0.33, 0.56, 0.19, 0.085, -40), ("leaf", 0.67, 0.5, 0.19, 0.085, 40),
             ("leaf", 0.35, 0.3, 0.17, 0.075, -30), ("leaf", 0.65, 0.26, 0.17, 0.075, 30),
             ("leaf", 0.5, 0.82, 0.15, 0.075, 90)],
    "coffee": [("line", [(0.16, 0.62), (0.22, 0.16), (0.64, 0.16), (0.7, 0.62), (0.16, 0.62)], W),
               ("arc", 0.71, 0.42, 0.12, 0, 180, W), ("line", [(0.08, 0.1), (0.8, 0.1)], W),
               ("line", [(0.32, 0.72), (0.36, 0.8), (0.32, 0.88)], W * 0.7),
               ("line", [(0.48, 0.72), (0.52, 0.8), (0.48, 0.88)], W * 0.7)],
    "yoga": [("circle", 0.5, 0.82, 0.09), ("line", [(0.5, 0.7), (0.5, 0.4)], W),
             ("line", [(0.16, 0.74), (0.32, 0.6), (0.5, 0.62), (0.68, 0.6), (0.84, 0.74)], W),
             ("line", [(0.14, 0.24), (0.5, 0.4), (0.86, 0.24)], W), ("line", [(0.22, 0.18), (0.78, 0.18)], W)],
    "wifi": [("circle", 0.5, 0.2, 0.07), ("arc", 0.5, 0.2, 0.22, -45, 45, W),
             ("arc", 0.5, 0.2, 0.42, -45, 45, W), ("arc", 0.5, 0.2, 0.62, -45, 45, W)],
    "cart": [("line", [(0.06, 0.82), (0.2, 0.82), (0.3, 0.34), (0.8, 0.34), (0.9, 0.66), (0.24, 0.66)], W),
             ("circle", 0.34, 0.18, 0.08), ("circle", 0.74, 0.18, 0.08)],
    "children": _person(0.32, 0.12, 0.5) + _person(0.68, 0.12, 0.5) + [("circle", 0.5, 0.16, 0.07)],
    "youth": _person(0.34, 0.1, 0.72) + _person(0.68, 0.1, 0.64),
    "families": _person(0.24, 0.1, 0.78) + _person(0.76, 0.1, 0.74) + _person(0.5, 0.1, 0.44),
    "single_parents": _person(0.36, 0.1, 0.8) + _person(0.7, 0.1, 0.46) +
                      [("line", [(0.54, 0.48), (0.6, 0.42)], W)],
    "everyone": _person(0.2, 0.2, 0.6) + _person(0.5, 0.1, 0.72) + _person(0.8, 0.2, 0.6),
    "education": [("fan", (0.5, 0.62), [(0.06, 0.62), (0.5, 0.82), (0.94, 0.62), (0.5, 0.42)]),
                  ("line", [(0.26, 0.52), (0.26, 0.3), (0.5, 0.22), (0.74, 0.3), (0.74, 0.52)], W),
                  ("line", [(0.88, 0.62), (0.88, 0.34)], W * 0.7)],
    "health": _heart(0.5, 0.52, 1.3),
    "culture": [("circle", 0.28, 0.24, 0.1), ("circle", 0.68, 0.32, 0.1),
                ("line", [(0.37, 0.24), (0.37, 0.82), (0.77, 0.9), (0.77, 0.32)], W),
                ("line", [(0.37, 0.68), (0.77, 0.76)], W)],
    "participation": [("line_round", 0.1, 0.32, 0.8, 0.54, 0.12, W),
                      ("fan", (0.3, 0.3), [(0.22, 0.34), (0.2, 0.12), (0.42, 0.34)]),
                      ("circle", 0.32, 0.59, 0.06), ("circle", 0.5, 0.59, 0.06), ("circle", 0.68, 0.59, 0.06)],
    "everyday": [("line", [(0.14, 0.6), (0.22, 0.12), (0.78, 0.12), (0.86, 0.6), (0.14, 0.6)], W),
                 ("arc", 0.5, 0.6, 0.22, -90, 90, W), ("line", [(0.38, 0.46), (0.38, 0.24)], W * 0.7),
                 ("line", [(0.62, 0.46), (0.62, 0.24)], W * 0.7)],
    "play": [("ring", 0.5, 0.5, 0.36, W), ("arc", 0.5, 0.96, 0.36, 140, 220, W),
             ("arc", 0.5, 0.04, 0.36, -40, 40, W), ("line", [(0.14, 0.5), (0.86, 0.5)], W * 0.8)],
    "green": [("circle", 0.5, 0.62, 0.26), ("circle", 0.32, 0.5, 0.16), ("circle", 0.68, 0.5, 0.16),
              ("rect", 0.45, 0.08, 0.1, 0.36, 0.02)],
    "meeting": _person(0.22, 0.1, 0.64) + _person(0.78, 0.1, 0.64) +
               [("line", [(0.38, 0.36), (0.62, 0.36)], W), ("line", [(0.5, 0.36), (0.5, 0.1)], W),
                ("line_round", 0.36, 0.66, 0.28, 0.2, 0.06, W * 0.7)],
    "clean": [("line", [(0.78, 0.9), (0.44, 0.4)], W),
              ("fan", (0.36, 0.28), [(0.46, 0.42), (0.28, 0.5), (0.1, 0.14), (0.36, 0.06), (0.56, 0.36)]),
              ] + _star(0.8, 0.3, 0.12),
    "other": [("circle", 0.22, 0.5, 0.09), ("circle", 0.5, 0.5, 0.09), ("circle", 0.78, 0.5, 0.09)],
    "star": _star(0.5, 0.5, 0.42),
    "check": [("line", [(0.16, 0.5), (0.4, 0.26), (0.84, 0.72)], 0.11)],
    "cross": [("line", [(0.22, 0.22), (0.78, 0.78)], 0.1), ("line", [(0.22, 0.78), (0.78, 0.22)], 0.1)],
    "plus": [("line", [(0.5, 0.16), (0.5, 0.84)], 0.11), ("line", [(0.16, 0.5), (0.84, 0.5)], 0.11)],
    "gear": [("ring", 0.5, 0.5, 0.25, W * 1.3), ("ring", 0.5, 0.5, 0.08, W)] +
            [("line", [(0.5 + 0.26 * math.cos(a), 0.5 + 0.26 * math.sin(a)),
                       (0.5 + 0.4 * math.cos(a), 0.5 + 0.4 * math.sin(a))], 0.1)
             for a in [i * math.pi / 4 for i in range(8)]],
    "done": [("ring", 0.5, 0.5, 0.4, W), ("line", [(0.28, 0.5), (0.44, 0.34), (0.72, 0.64)], 0.1)],
    "lock": [("rect", 0.2, 0.12, 0.6, 0.46, 0.06), ("arc", 0.5, 0.58, 0.2, -90, 90, W),
             ("line", [(0.3, 0.58), (0.3, 0.5)], W), ("line", [(0.7, 0.58), (0.7, 0.5)], W)],
    "alert": [("line", [(0.5, 0.88), (0.08, 0.14), (0.92, 0.14), (0.5, 0.88)], W),
              ("line", [(0.5, 0.66), (0.5, 0.38)], 0.09), ("circle", 0.5, 0.25, 0.055)],
    "chart": [("line", [(0.1, 0.9), (0.1, 0.1), (0.9, 0.1)], W),
              ("line", [(0.18, 0.3), (0.38, 0.56), (0.56, 0.42), (0.86, 0.78)], W)],
    "list": [("circle", 0.16, 0.76, 0.06), ("circle", 0.16, 0.5, 0.06), ("circle", 0.16, 0.24, 0.06),
             ("line", [(0.32, 0.76), (0.88, 0.76)], W), ("line", [(0.32, 0.5), (0.88, 0.5)], W),
             ("line", [(0.32, 0.24), (0.88, 0.24)], W)],
    "drop": [("circle", 0.5, 0.36, 0.24), ("fan", (0.5, 0.5), [(0.27, 0.42), (0.5, 0.9), (0.73, 0.42)])],
    "happy": [("ring", 0.5, 0.5, 0.4, W), ("circle", 0.36, 0.6, 0.05), ("circle", 0.64, 0.6, 0.05),
              ("arc", 0.5, 0.5, 0.22, 120, 240, W)],
    "thirsty": [("ring", 0.5, 0.5, 0.4, W), ("circle", 0.36, 0.6, 0.05), ("circle", 0.64, 0.6, 0.05),
                ("arc", 0.5, 0.18, 0.2, -50, 50, W)],
    "card": [("line_round", 0.1, 0.22, 0.8, 0.56, 0.06, W), ("rect", 0.1, 0.56, 0.8, 0.08, 0.0),
             ("line", [(0.2, 0.36), (0.48, 0.36)], W * 0.7)],
    "exit": [("line", [(0.5, 0.84), (0.16, 0.84), (0.16, 0.16), (0.5, 0.16)], W),
             ("line", [(0.38, 0.5), (0.9, 0.5)], W), ("line", [(0.72, 0.68), (0.9, 0.5), (0.72, 0.32)], W)],
    "clock": [("ring", 0.5, 0.5, 0.4, W), ("line", [(0.5, 0.76), (0.5, 0.5), (0.7, 0.4)], W)],
    "place": [("ring", 0.5, 0.62, 0.2, W), ("line", [(0.33, 0.5), (0.5, 0.1), (0.67, 0.5)], W)],
    "phone": [("line_round", 0.28, 0.08, 0.44, 0.84, 0.08, W), ("circle", 0.5, 0.2, 0.04)],
    "backspace": [("line", [(0.06, 0.5), (0.32, 0.8), (0.92, 0.8), (0.92, 0.2), (0.32, 0.2), (0.06, 0.5)], W),
                  ("line", [(0.46, 0.36), (0.74, 0.64)], W), ("line", [(0.46, 0.64), (0.74, 0.36)], W)],
    "shift": [("line", [(0.5, 0.88), (0.12, 0.5), (0.32, 0.5), (0.32, 0.14), (0.68, 0.14), (0.68, 0.5),
                        (0.88, 0.5), (0.5, 0.88)], W)],
    "sensor": [("line", [(0.4, 0.9), (0.4, 0.3), (0.5, 0.1), (0.6, 0.3), (0.6, 0.9), (0.4, 0.9)], W),
               ("arc", 0.78, 0.7, 0.12, -30, 150, W * 0.7)],
    "textsize": [("line", [(0.1, 0.16), (0.3, 0.8), (0.5, 0.16)], W), ("line", [(0.18, 0.4), (0.42, 0.4)], W),
                 ("line", [(0.72, 0.3), (0.72, 0.7)], W), ("line", [(0.52, 0.5), (0.92, 0.5)], W)],
}
ALIASES = {"info": "participation", "homework": "education", "party": "star", "language": "participation",
           "offers": "calendar", "booth": "book", "herbs": "herb", "yoga_mat": "yoga", "cafe": "coffee",
           "books": "book", "new": "star", "in_progress": "gear", "implemented": "done", "not_possible": "cross",
           "ideas": "idea",
           "alerts": "alert", "loans": "book", "moderation": "list", "plot": "chart", "sensors": "sensor",
           "people": "everyone", "heart": "health", "music": "culture", "family": "families"}


def draw(canvas, name: str, x: float, y: float, size: float, colour, mirror: bool = False) -> None:
    """Add icon `name` to `canvas` in the square (x, y, size); `mirror` flips it for RTL."""
    shapes = ICONS.get(ALIASES.get(name, name)) or ICONS["star"]
    s = size

    def X(u: float) -> float:
        return x + (1 - u if mirror else u) * s

    def Y(v: float) -> float:
        return y + v * s

    with canvas:
        Color(*colour)
        for shape in shapes:
            kind = shape[0]
            if kind == "circle":
                _, cx, cy, r = shape
                Ellipse(pos=(X(cx) - r * s, Y(cy) - r * s), size=(2 * r * s, 2 * r * s))
            elif kind == "ring":
                _, cx, cy, r, w = shape
                Line(circle=(X(cx), Y(cy), r * s), width=max(1.0, w * s / 2))
            elif kind == "arc":
                _, cx, cy, r, a0, a1, w = shape
                if mirror:
                    a0, a1 = -a1, -a0
                Line(circle=(X(cx), Y(cy), r * s, a0, a1), width=max(1.0, w * s / 2), cap="round")
            elif kind == "ellipse_line":
                _, cx, cy, rx, ry, w = shape
                Line(ellipse=(X(cx) - rx * s, Y(cy) - ry * s, 2 * rx * s, 2 * ry * s), width=max(1.0, w * s / 2))
            elif kind == "line":
                _, points, w = shape
                flat = [c for px, py in points for c in (X(px), Y(py))]
                Line(points=flat, width=max(1.0, w * s / 2), cap="round", joint="round")
            elif kind == "line_rect":
                _, rx, ry, rw, rh, w = shape
                left = X(rx + rw) if mirror else X(rx)
                Line(rectangle=(left, Y(ry), rw * s, rh * s), width=max(1.0, w * s / 2))
            elif kind == "line_round":
                _, rx, ry, rw, rh, rad, w = shape
                left = X(rx + rw) if mirror else X(rx)
                Line(rounded_rectangle=(left, Y(ry), rw * s, rh * s, rad * s), width=max(1.0, w * s / 2))
            elif kind == "rect":
                _, rx, ry, rw, rh, rad = shape
                left = X(rx + rw) if mirror else X(rx)
                RoundedRectangle(pos=(left, Y(ry)), size=(rw * s, rh * s), radius=[rad * s])
            elif kind == "fan":
                _, (cx, cy), points = shape
                vertices = [X(cx), Y(cy), 0, 0]
                for px, py in list(points) + [points[0]]:
                    vertices += [X(px), Y(py), 0, 0]
                Mesh(vertices=vertices, indices=list(range(len(vertices) // 4)), mode="triangle_fan")
            elif kind == "leaf":
                _, cx, cy, rx, ry, angle = shape
                if mirror:
                    angle = -angle
                PushMatrix()
                Rotate(angle=angle, origin=(X(cx), Y(cy)))
                Ellipse(pos=(X(cx) - rx * s, Y(cy) - ry * s), size=(2 * rx * s, 2 * ry * s))
                PopMatrix()


@lru_cache(maxsize=128)
def _rendered(name: str, colour: tuple, size: int, mirror: bool):
    """Icon `name` drawn once into an offscreen buffer; the Fbo is kept so its texture stays alive."""
    fbo = Fbo(size=(size, size))
    with fbo:
        ClearColor(0, 0, 0, 0)
        ClearBuffers()
    draw(fbo, name, 0, 0, size, colour, mirror)
    fbo.draw()
    return fbo


class Icon(Widget):
    """An icon centred in its box, as large as the box allows.

    With `cached=True` the icon is drawn from a texture rendered once per name, colour and size:
    one quad instead of a dozen wide lines and fans, for views that are drawn many times over
    (the rows of the ideas wall).
    """

    name = StringProperty("star")
    colour = ListProperty([1, 1, 1, 1])
    mirror = BooleanProperty(False)
    cached = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trigger = Clock.create_trigger(self._redraw, -1)
        self.bind(pos=self._trigger, size=self._trigger, name=self._trigger, colour=self._trigger,
                  mirror=self._trigger, cached=self._trigger)
        self._trigger()

    def _redraw(self, *_):
        self.canvas.clear()
        size = min(self.width, self.height)
        if size <= 2:
            return
        if self.cached:
            side = int(size)
            texture = _rendered(self.name, tuple(self.colour), side, self.mirror).texture
            with self.canvas:
                Color(1, 1, 1, 1)
                Rectangle(texture=texture, pos=(int(self.center_x - side / 2), int(self.center_y - side / 2)),
                          size=(side, side))
            return
        draw(self.canvas, self.name, self.center_x - size / 2, self.center_y - size / 2, size, self.colour,
             self.mirror)

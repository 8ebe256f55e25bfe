"""/herbs – „Kräuterbeet“: the moisture plot, calibration step by step, the thresholds in force.

The plot is drawn from the garden's retained history topics (kiosk/console/live.py keeps
them) as inline SVG made here on the server: no chart library, no script, and the page
reads the same on a phone. Calibration is the garden's own `calibrate` command
(kiosk/garden/staff_commands.py); its outcome is worded by the domain. Thresholds and
reminders live in station.toml: the page shows them and says where to change them.
"""

from __future__ import annotations

import time
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.clock import parse_iso
from kiosk.console.i18n import N_, _
from kiosk.console.overview import STATUS_TEXT
from kiosk.console.security import login_required
from kiosk.console.sending import send, words
from kiosk.errors import BadValue
from kiosk.garden import staff_commands
from kiosk.garden.messages import History
from kiosk.garden.spans import DEFAULT, SPANS

blueprint = Blueprint("herbs", __name__)

SPAN_WORDS = {"24h": N_("24 Stunden"), "7d": N_("7 Tage"), "30d": N_("30 Tage")}
WEEKDAYS = (N_("Mo"), N_("Di"), N_("Mi"), N_("Do"), N_("Fr"), N_("Sa"), N_("So"))
STEPS = ("1", "2", "done")
AUDIT = {"dry": "Sensor „{name}“: Trockenwert gemerkt", "wet": "Sensor „{name}“: Nasswert gemerkt"}

# The drawing's own units (the SVG scales to the page's width): labels of 28 units are
# about 16 px on a 390 px phone and stay readable; the left margin holds "100 %".
WIDTH, HEIGHT = 600, 400
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 24, 56
GAP_BUCKETS = 2.5         # a longer silence than this many buckets breaks the line


@dataclass(frozen=True)
class Stretch:
    """A stretch of the plot below the dry threshold, in drawing units."""

    x: float
    width: float


@dataclass(frozen=True)
class Plot:
    """A moisture series in drawing units, ready for the template's <svg>."""

    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    lines: tuple[str, ...]             # the average, one polyline per stretch without gaps
    bands: tuple[str, ...]             # the lowest-highest band, one polygon per stretch
    points: tuple[tuple[float, float, bool], ...]   # (x, y, below the dry threshold)
    dry: tuple[Stretch, ...]
    dry_y: float
    dry_label: str
    grid: tuple[tuple[float, str], ...]            # (y, "50 %")
    ticks: tuple[tuple[float, str], ...]           # (x, "14:00")


def plot(history: History | None, span: str, dry_below: float, now: float, tz: str) -> Plot:
    """Lay out `history` over the `span` ending at `now` (epoch seconds), local times in `tz`."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    start = now - SPANS[span].back_s

    def x_of(moment: float) -> float:
        return round(LEFT + (right - LEFT) * min(1.0, max(0.0, (moment - start) / SPANS[span].back_s)), 1)

    def y_of(percent: float) -> float:
        return round(bottom - (bottom - TOP) * min(100.0, max(0.0, percent)) / 100, 1)

    stretches: list[list[tuple[float, float, float, float]]] = []   # (moment, min, avg, max)
    bucket = history.bucket_s if history else 0
    last = None
    for point in history.points if history else ():
        try:
            moment = parse_iso(point.ts).timestamp() + bucket / 2      # the middle of its bucket
        except (ValueError, OverflowError):
            continue
        if moment < start or moment > now + bucket:
            continue
        if last is None or moment - last > GAP_BUCKETS * max(bucket, 1):
            stretches.append([])
        stretches[-1].append((moment, point.min, point.avg, point.max))
        last = moment

    lines, bands, points, dry = [], [], [], []
    for stretch in stretches:
        lines.append(" ".join(f"{x_of(m)},{y_of(avg)}" for m, _low, avg, _high in stretch))
        upper = [f"{x_of(m)},{y_of(high)}" for m, _low, _avg, high in stretch]
        lower = [f"{x_of(m)},{y_of(low)}" for m, low, _avg, _high in reversed(stretch)]
        bands.append(" ".join(upper + lower))
        points.extend((x_of(m), y_of(avg), avg < dry_below) for m, _low, avg, _high in stretch)
        dry.extend(_dry_stretches(stretch, dry_below, bucket, x_of))
    label = _("zu trocken unter {n} %").format(n=_number(dry_below))
    return Plot(WIDTH, HEIGHT, LEFT, right, TOP, bottom, tuple(lines), tuple(bands), tuple(points), tuple(dry),
                y_of(dry_below), label, tuple((y_of(v), f"{v} %") for v in (0, 50, 100)),
                _ticks(span, start, now, tz, x_of))


def _dry_stretches(stretch, dry_below: float, bucket: int, x_of) -> list[Stretch]:
    found, begin = [], None
    for i, (moment, _low, avg, _high) in enumerate(stretch):
        if avg < dry_below and begin is None:
            begin = moment - bucket / 2
        if begin is not None and (avg >= dry_below or i == len(stretch) - 1):
            end = moment - bucket / 2 if avg >= dry_below else moment + bucket / 2
            found.append(Stretch(x_of(begin), round(max(2.0, x_of(end) - x_of(begin)), 1)))
            begin = None
    return found


def _ticks(span: str, start: float, now: float, tz: str, x_of) -> tuple[tuple[float, str], ...]:
    zone = zoneinfo.ZoneInfo(tz)
    ticks = []
    for part in (0, 1, 2, 3):
        moment = start + (now - start) * part / 3
        local = datetime.fromtimestamp(moment, timezone.utc).astimezone(zone)
        if span == "24h":
            text = local.strftime("%H:%M")
        elif span == "7d":
            text = f"{_(WEEKDAYS[local.weekday()])} {local.day}."
        else:
            text = f"{local.day}.{local.month}."
        ticks.append((x_of(moment), text))
    return tuple(ticks)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _sensor(node: object, *, named: bool = False):
    """The sensor called `node`; without one (or, unless `named`, an unknown one) the first."""
    config = current_app.extensions["config"]
    sensor = config.garden.sensor(node) if isinstance(node, str) and node else None
    if sensor is None and not named and config.garden.sensors:
        return config.garden.sensors[0]
    return sensor


def _settings(config, sensor) -> list[tuple[str, str]]:
    every = config.garden.notify.reminder_every_s
    return [
        (_("Gießalarm, wenn die Feuchte fällt"), _("unter {n} %").format(n=_number(sensor.dry_below))),
        (_("Alarm aus erst über"), f"{_number(sensor.ok_above)} %"),
        (_("Messungen, bis es zählt"), str(sensor.confirm_readings)),
        (_("Sensor gilt als still nach"), _("{n} Minuten").format(n=_number(round(sensor.stale_after_s / 60, 1)))),
        (_("Erinnerung"), _("nie") if not every else _("alle {n} Stunden").format(n=_number(round(every / 3600, 1)))),
    ]


@blueprint.route("/herbs")
@login_required
def page():
    config = current_app.extensions["config"]
    sensor = _sensor(request.args.get("node"))
    if sensor is None:
        return render_template("herbs.html", sensor=None, sensors=config.garden.sensors)
    span = request.args.get("span", DEFAULT)
    span = span if span in SPANS else DEFAULT
    step = request.args.get("step", "1")
    step = step if step in STEPS else "1"
    snapshot = current_app.extensions["station"].snapshot()
    history = snapshot.histories.get((sensor.node, span))
    state = snapshot.states.get(sensor.node)
    moisture = state.moisture if state else None
    return render_template(
        "herbs.html", sensor=sensor, sensors=config.garden.sensors, span=span, spans=SPAN_WORDS, step=step,
        plot=plot(history, span, sensor.dry_below, time.time(), config.station.timezone),
        has_history=history is not None,
        moisture=f"{_number(round(moisture))} %" if isinstance(moisture, (int, float)) else "–",
        status=_(STATUS_TEXT.get(state.status if state else None, N_("noch keine Messung"))),
        settings=_settings(config, sensor), config_path=config.source)


@blueprint.route("/herbs/calibrate", methods=["POST"])
@login_required
def calibrate():
    sensor = _sensor(request.form.get("node"), named=True)
    point = request.form.get("point", "")
    try:
        if sensor is None:
            raise BadValue("no such sensor")
        command = staff_commands.calibrate(sensor.node, point)
    except BadValue:
        flash(_("Das ging nicht: Lade die Seite neu und versuch es noch einmal."), "error")
        return redirect(url_for("herbs.page"))
    outcome = send(command)
    flash(words(outcome), "ok" if outcome.ok else "error")
    if not outcome.ok:
        return redirect(url_for("herbs.page", node=sensor.node, step="1" if point == "dry" else "2") + "#calibrate")
    current_app.extensions["staff"].record(g.user, AUDIT[point].format(name=sensor.name))
    return redirect(url_for("herbs.page", node=sensor.node, step="2" if point == "dry" else "done") + "#calibrate")

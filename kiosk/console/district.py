"""„Alle Stationen“: the district's read-only page, every station the central broker shows.

Per station: whether it runs (its health is fresh, its link to the centre is up), which of its
services stand still, its open garden alerts, the booth's loans now and overdue, and the ideas
and +1s of the month. Only reading: in district mode no page that sends a command is registered
(kiosk/console/app.py), so there is nothing here to press.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, render_template

from kiosk.booth.store import SUMMARY_OVERDUE_MAX
from kiosk.clock import parse_iso
from kiosk.console.dates import local_time
from kiosk.console.district_live import HEALTH, LINK, SUMMARY, USAGE, StationSeen
from kiosk.console.health import PUBLISH_EVERY_S
from kiosk.console.i18n import N_, _
from kiosk.console.overview import ALERT_TEXT, service_name
from kiosk.console.security import login_required
from kiosk.station.discovery import LINK_DOWN, LINK_UP
from kiosk.usage.keys import IDEA, PLUS_ONE

blueprint = Blueprint("district", __name__)

SILENT_AFTER = timedelta(seconds=3 * PUBLISH_EVERY_S)   # the health comes every minute; three missed is news
PART_NAMES = {HEALTH: N_("Zustand"), LINK: N_("Verbindung"), SUMMARY: N_("Bücherzelle"), USAGE: N_("Ideen")}


@dataclass(frozen=True)
class Row:
    """One station on the page: everything in words, and whether it needs someone."""

    station: str
    name: str                 # the office's place, as the station's health names it; else its id
    state: str
    trouble: bool
    last_seen: str
    old_figures: bool         # cut off or silent: what is shown is from before
    link: str
    stopped: list[str]
    alerts: list[str]
    loans: str
    overdue: str
    ideas: str
    plus_ones: str
    unreadable: list[str]


def _state(seen: StationSeen, now: datetime) -> tuple[str, bool]:
    if seen.link == LINK_DOWN:
        return _("Verbindung unterbrochen"), True
    if seen.health is None:
        return (_("nicht lesbar"), True) if HEALTH in seen.unreadable else (_("noch keine Meldung"), True)
    if _older_than(seen.health.ts, now, SILENT_AFTER):
        return _("meldet sich nicht"), True
    return _("läuft"), False


def _older_than(ts: str, now: datetime, span: timedelta) -> bool:
    try:
        return now - parse_iso(ts) > span
    except (ValueError, OverflowError):        # a time at the edge of the calendar: not a recent one
        return True


def _link(seen: StationSeen) -> str:
    return {LINK_UP: _("verbunden"), LINK_DOWN: _("unterbrochen")}.get(seen.link, _("keine Meldung der Verbindung"))


def _alerts(seen: StationSeen, zone: str) -> list[str]:
    # A station with one bed (most have) needs no node id, which is a technical name.
    named = len(seen.alerts) > 1
    return [f"{node + ': ' if named else ''}{_(ALERT_TEXT[alert.kind])} {_('seit')} {local_time(alert.since, zone)}"
            for node, alert in sorted(seen.alerts.items()) if alert.active]


def _part(key: str) -> str:
    kind, _slash, node = key.partition("/")
    return f"{_('Gießalarm')} {node}" if kind == "alert" else _(PART_NAMES[kind])


def row(seen: StationSeen, now: datetime, zone: str) -> Row:
    state, trouble = _state(seen, now)
    health, summary, usage = seen.health, seen.summary, seen.usage
    stopped = sorted(service_name(name) for name, status in health.services.items() if status != "online") \
        if health else []
    overdue = len(summary.overdue) if summary else None
    alerts = _alerts(seen, zone)
    return Row(
        station=seen.station, name=health.name if health and health.name else seen.station, state=state,
        old_figures=trouble and health is not None, trouble=trouble or bool(stopped or alerts or seen.unreadable),
        last_seen=local_time(health.ts, zone) if health else "–", link=_link(seen), stopped=stopped, alerts=alerts,
        loans=str(summary.active_loans) if summary else "–",
        overdue="–" if overdue is None else f"{overdue}+" if overdue >= SUMMARY_OVERDUE_MAX else str(overdue),
        ideas=str(usage.counts.get(IDEA, 0)) if usage else "–",
        plus_ones=str(usage.counts.get(PLUS_ONE, 0)) if usage else "–",
        unreadable=sorted(_part(key) for key in seen.unreadable))


@blueprint.route("/")
@login_required
def index():
    config = current_app.extensions["config"]
    now = datetime.now(timezone.utc)
    rows = [row(seen, now, config.station.timezone) for seen in current_app.extensions["station"].stations()]
    return render_template("district.html", rows=rows, troubles=sum(r.trouble for r in rows))

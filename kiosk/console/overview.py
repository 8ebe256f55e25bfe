"""„Wie geht's der Station?“: services, herb bed, booth, the Pi itself, failing notifications."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.clock import parse_iso
from kiosk.console.dates import local_time
from kiosk.console.i18n import N_, _, domain_text
from kiosk.console.security import login_required
from kiosk.garden.staff_commands import ACKNOWLEDGED
from kiosk.station.health import Health

log = logging.getLogger(__name__)
blueprint = Blueprint("overview", __name__)

LOW_DISK_MB = 200               # the same line `kiosk doctor` draws
HOT_C = 75.0                    # the Pi throttles from 80 °C
BACKUP_OLD = timedelta(days=2)  # the backup runs nightly
SERVICE_NAMES = {
    "garden": N_("Kräuterbeet-Auswertung"), "bridge": N_("Sensor am Kabel"), "booth": N_("Bücherzelle"),
    "ui": N_("Bildschirm im Fenster"), "console": N_("Diese Konsole"),
}
STATUS_TEXT = {"ok": N_("feucht genug"), "dry": N_("zu trocken"), "stale": N_("Sensor meldet sich nicht"),
               "fault": N_("Sensor gestört")}
ALERT_TEXT = {"dry": N_("Das Beet braucht Wasser"), "stale": N_("Der Sensor meldet sich nicht"),
              "fault": N_("Der Sensor ist gestört")}
EVENT_TEXT = {"checkout": N_("Ausleihe"), "return": N_("Rückgabe"), "denied": N_("abgelehnt"),
              "session_start": N_("Karte angelegt"), "session_end": N_("Sitzung beendet"), "register": N_("Anmeldemodus")}


@dataclass(frozen=True)
class Line:
    """One line on the overview: a label, a value in words, and whether it needs someone."""

    label: str
    value: str
    trouble: bool = False


@dataclass(frozen=True)
class Bed:
    """A herb bed as the overview shows it: moisture and status in words, and its alert."""

    node: str
    name: str
    moisture: str
    status: str
    active: bool = False
    acknowledged: bool = False
    alert: str = ""
    since: str | None = None


@dataclass(frozen=True)
class Booth:
    """The book booth: books out now (None before its first summary), overdue, the last thing that happened."""

    loans: int | None
    overdue: int
    last: str | None
    last_ts: str | None


def service_name(name: str) -> str:
    return _(SERVICE_NAMES.get(name, name))


def _services(snapshot) -> list[Line]:
    return [Line(service_name(name), _("läuft") if status == "online" else _("läuft nicht"), status != "online")
            for name, status in sorted(snapshot.services.items(), key=lambda item: service_name(item[0]))]


def _beds(config, snapshot) -> list[Bed]:
    beds = []
    for sensor in config.garden.sensors:
        state = snapshot.states.get(sensor.node)        # a BedState, None before the first
        alert = snapshot.alerts.get(sensor.node)        # a BedAlert
        moisture = state.moisture if state else None
        bed = Bed(sensor.node, sensor.name, moisture=f"{moisture:.0f} %" if moisture is not None else "–",
                  status=_(STATUS_TEXT[state.status] if state else N_("noch keine Messung")))
        if alert is not None and alert.active:
            bed = dataclasses.replace(bed, active=True, acknowledged=alert.acknowledged, alert=_(ALERT_TEXT[alert.kind]),
                                      since=alert.since)
        beds.append(bed)
    return beds


def _booth(snapshot) -> Booth:
    summary, event = snapshot.booth_summary, snapshot.booth_last_event
    return Booth(loans=summary.active_loans if summary else None, overdue=len(summary.overdue) if summary else 0,
                 last=_(EVENT_TEXT.get(event.type, event.type)) if event else None,
                 last_ts=event.ts if event else None)


def _pi(health: Health | None, timezone: str) -> list[Line]:
    if health is None:
        return [Line(_("Messwerte"), _("kommen gleich"))]
    lines = []
    disk = health.disk_free_mb
    if disk is not None:
        lines.append(Line(_("Freier Speicher"), f"{disk:,.0f} MB".replace(",", "."), disk < LOW_DISK_MB))
    temp = health.cpu_temp_c
    if temp is not None:
        lines.append(Line(_("Temperatur"), f"{temp:.0f} °C".replace(".", ","), temp >= HOT_C))
    if health.throttled is not None:
        if health.under_voltage:
            lines.append(Line(_("Stromversorgung"), _("zu schwach – nimm ein stärkeres Netzteil"), True))
        elif health.under_voltage_since_boot:
            lines.append(Line(_("Stromversorgung"), _("war seit dem Start mal zu schwach"), True))
        else:
            lines.append(Line(_("Stromversorgung"), _("in Ordnung")))
    backup = health.last_backup
    if backup:
        old = _older_than(backup, BACKUP_OLD)
        lines.append(Line(_("Letzte Sicherung"), local_time(backup, timezone), old))
    else:
        lines.append(Line(_("Letzte Sicherung"), _("noch keine"), True))
    return lines


def _older_than(ts: str, span: timedelta) -> bool:
    try:
        return datetime.now(timezone.utc) - parse_iso(ts) > span
    except ValueError:
        return True


def _faults(snapshot) -> list[dict]:
    return [{"service": service_name(service), "message": fault.message, "since": fault.since}
            for service, faults in sorted(snapshot.faults.items()) for fault in faults.values()]


@blueprint.route("/")
@login_required
def index():
    config = current_app.extensions["config"]
    snapshot = current_app.extensions["station"].snapshot()
    health = current_app.extensions["health"]()
    services, beds, faults = _services(snapshot), _beds(config, snapshot), _faults(snapshot)
    pi = _pi(health, config.station.timezone)
    troubles = (sum(line.trouble for line in services + pi) + len(faults)
                + sum(1 for bed in beds if bed.active and not bed.acknowledged))
    return render_template("overview.html", services=services, beds=beds, pi=pi, faults=faults, booth=_booth(snapshot),
                           troubles=troubles)


@blueprint.route("/bed/ack", methods=["POST"])
@login_required
def acknowledge():
    config = current_app.extensions["config"]
    node = request.form.get("node", "")
    sensor = config.garden.sensor(node) if isinstance(node, str) else None
    if sensor is None:
        flash(_("Dieses Beet kennt die Station nicht."), "error")
        return redirect(url_for("overview.index"))
    outcome = current_app.extensions["operations"].acknowledge_alert(sensor.node)
    if not outcome.ok:
        log.warning("acknowledging %s failed: %s", sensor.node, outcome.detail)
        flash(domain_text(outcome), "error")
        return redirect(url_for("overview.index"))
    if outcome.message == ACKNOWLEDGED:        # not NO_ALERT: the alert had ended meanwhile
        view = current_app.extensions["station"]
        known = view.snapshot().alerts.get(sensor.node)
        if known is not None:
            # Shown at once; the garden's retained alert says the same a moment later.
            view.apply_alert(sensor.node, dataclasses.replace(known, acknowledged=True))
        current_app.extensions["staff"].record(g.user, f"Gießalarm „{sensor.name}“ als erledigt markiert")
    flash(domain_text(outcome), "ok")
    return redirect(url_for("overview.index"))

"""„Wie geht's der Station?“: services, herb bed, booth, the Pi itself, failing notifications."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk.clock import parse_iso
from kiosk.console.dates import local_time
from kiosk.console.i18n import N_, _
from kiosk.console.security import login_required
from kiosk.errors import KioskError

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


def service_name(name: str) -> str:
    return _(SERVICE_NAMES.get(name, name))


def _services(snapshot) -> list[Line]:
    return [Line(service_name(name), _("läuft") if status == "online" else _("läuft nicht"), status != "online")
            for name, status in sorted(snapshot.services.items(), key=lambda item: service_name(item[0]))]


def _beds(config, snapshot) -> list[dict]:
    beds = []
    for sensor in config.garden.sensors:
        state = snapshot.states.get(sensor.node) or {}
        alert = snapshot.alerts.get(sensor.node) or {}
        moisture = state.get("moisture")
        active = bool(alert.get("active"))
        beds.append({
            "node": sensor.node, "name": sensor.name,
            "moisture": f"{moisture:.0f} %" if isinstance(moisture, (int, float)) else "–",
            "status": _(STATUS_TEXT.get(state.get("status"), "noch keine Messung")),
            "active": active, "acknowledged": bool(alert.get("acknowledged")),
            "alert": _(ALERT_TEXT.get(alert.get("kind"), ALERT_TEXT["dry"])) if active else "",
            "since": alert.get("since") if active else None,
        })
    return beds


def _pi(health: dict | None, timezone: str) -> list[Line]:
    if not health:
        return [Line(_("Messwerte"), _("kommen gleich"))]
    lines = []
    disk = health.get("disk_free_mb")
    if disk is not None:
        lines.append(Line(_("Freier Speicher"), f"{disk:,} MB".replace(",", "."), disk < LOW_DISK_MB))
    temp = health.get("cpu_temp_c")
    if temp is not None:
        lines.append(Line(_("Temperatur"), f"{temp:.0f} °C".replace(".", ","), temp >= HOT_C))
    throttled = health.get("throttled")
    if throttled is not None:
        if throttled.get("under_voltage"):
            lines.append(Line(_("Stromversorgung"), _("zu schwach – nimm ein stärkeres Netzteil"), True))
        elif throttled.get("under_voltage_since_boot"):
            lines.append(Line(_("Stromversorgung"), _("war seit dem Start mal zu schwach"), True))
        else:
            lines.append(Line(_("Stromversorgung"), _("in Ordnung")))
    backup = health.get("last_backup")
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
    summary = snapshot.booth_summary or {}
    event = snapshot.booth_last_event
    booth = {"loans": summary.get("active_loans"), "overdue": len(summary.get("overdue") or []),
             "last": _(EVENT_TEXT.get(event["type"], event["type"])) if event else None,
             "last_ts": event["ts"] if event else None}
    troubles = (sum(line.trouble for line in services + pi) + len(faults)
                + sum(1 for bed in beds if bed["active"] and not bed["acknowledged"]))
    return render_template("overview.html", services=services, beds=beds, pi=pi, faults=faults, booth=booth,
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
    try:
        reply = current_app.extensions["operations"].acknowledge_alert(sensor.node)
    except KioskError as exc:
        log.warning("acknowledging %s failed: %s", sensor.node, exc)
        flash(_("Das hat nicht geklappt: Die Beet-Auswertung antwortet nicht. Versuch es gleich noch einmal."),
              "error")
        return redirect(url_for("overview.index"))
    if reply.get("acknowledged"):
        view = current_app.extensions["station"]
        known = view.snapshot().alerts.get(sensor.node) or {}
        view.apply_alert(sensor.node, {**known, "acknowledged": True})
        current_app.extensions["staff"].record(g.user, f"Gießalarm „{sensor.name}“ als erledigt markiert")
        flash(_("Danke! Die Erinnerungen für {name} hören jetzt auf.").format(name=sensor.name), "ok")
    else:
        flash(_("Für {name} gibt es gerade keinen Alarm.").format(name=sensor.name), "ok")
    return redirect(url_for("overview.index"))

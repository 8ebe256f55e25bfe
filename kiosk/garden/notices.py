"""What staff are told about the herb bed: the wording of a notice (kiosk/garden/messages.py) in the office's own German.

The garden writes each notice into its database with the alert change behind it
(kiosk/garden/store.py); the channels (kiosk/garden/notify.py, mail.py, push.py)
deliver it. Plain data and text only: no network, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping
from zoneinfo import ZoneInfo

from kiosk.clock import parse_iso
from kiosk.garden.messages import Notice

# --- what staff read: the office's own words, in German ------------------------------------

TITLES = {
    ("dry", "raised"): "{name}: Bitte gießen",
    ("dry", "reminder"): "{name}: Immer noch trocken – bitte gießen",
    ("stale", "raised"): "{name}: Der Sensor meldet sich nicht",
    ("stale", "reminder"): "{name}: Der Sensor meldet sich immer noch nicht",
    ("fault", "raised"): "{name}: Der Sensor ist gestört",
    ("fault", "reminder"): "{name}: Der Sensor ist immer noch gestört",
}
CLEARED_TITLE = "{name}: Alles wieder gut"
# {at} and {since} name when the status began; for a silent sensor that is its last
# reading, otherwise the reading that changed the status.
BODIES = {
    "dry": "Die Erde im {name} ist trocken: {moisture} Feuchte, gemessen {at}. Bitte gießen.",
    "stale": "Vom Sensor im {name} kam {since} kein Messwert. {advice}",
    "fault": "Der Sensor im {name} liefert {since} unmögliche Werte. Steckt er richtig in der Erde? "
             "Ist ein Kabel am Sensor lose?",
    "ok": "Das {name} ist wieder in Ordnung: {moisture} Feuchte, gemessen {at}.",
    "back": "Der Sensor im {name} meldet sich wieder: {moisture} Feuchte, gemessen {at}.",
}
REMINDER_BODIES = {
    "dry": "Die Erde im {name} ist {since} trocken. Zuletzt gemessen: {moisture} Feuchte. Bitte gießen.",
}
# What to check when a sensor is silent depends on how it reaches the station
# (`link` of its [[garden.sensors]] table).
SILENT_ADVICE = {
    "usb": "Steckt das USB-Kabel fest am Sensor und an der Station?",
    "wifi": "Ist der Akku des Sensors leer? Dann lade ihn auf. Reicht das WLAN bis zum Beet?",
}
STOP_REMINDERS = ("Keine Erinnerungen mehr? Tippe am Bildschirm der Station im Team-Bereich unter "
                  "„Meldungen“ auf „Gesehen“.")
SIGNATURE = "-- \nDie Station im Stadtteilbüro Batenbrock\n"


@dataclass(frozen=True)
class Wording:
    """Turns a notice into what staff read: local times, advice that fits the node."""

    timezone: str = "Europe/Berlin"
    links: Mapping[str, str] = field(default_factory=dict)   # node -> "usb" | "wifi"
    reminders: bool = True                                    # reminders are on: say how to stop them

    def title(self, notice: Notice) -> str:
        """The subject line (e-mail) or title (push)."""
        template = CLEARED_TITLE if notice.event == "cleared" else TITLES[(notice.kind, notice.event)]
        return template.format(name=notice.name)

    def body(self, notice: Notice) -> str:
        """The message itself, as the push shows it."""
        moisture = "unbekannt" if notice.moisture is None else f"{notice.moisture:.0f} %"
        if notice.event == "cleared":
            template = BODIES["back" if notice.kind == "stale" else "ok"]
        elif notice.event == "reminder" and notice.kind in REMINDER_BODIES:
            template = REMINDER_BODIES[notice.kind]
        else:
            template = BODIES[notice.kind]
        return template.format(name=notice.name, moisture=moisture, at=self.at(notice.since),
                               since=self.since(notice.since),
                               advice=SILENT_ADVICE[self.links.get(notice.node, "usb")])

    def mail_text(self, notice: Notice) -> str:
        paragraphs = [self.body(notice)]
        if notice.urgent and self.reminders:
            paragraphs.append(STOP_REMINDERS)
        return "\n\n".join(paragraphs) + "\n\n" + SIGNATURE

    def local(self, iso_time: str) -> datetime | None:
        try:
            return parse_iso(iso_time).astimezone(ZoneInfo(self.timezone))
        except (ValueError, OverflowError):
            return None

    def at(self, iso_time: str) -> str:
        moment = self.local(iso_time)
        # A notice written by an older version holds the local time as text already.
        return f"am {iso_time}" if moment is None else moment.strftime("am %d.%m.%Y um %H:%M Uhr")

    def since(self, iso_time: str) -> str:
        moment = self.local(iso_time)
        return f"seit {iso_time}" if moment is None else moment.strftime("seit dem %d.%m.%Y, %H:%M Uhr")

    def clock_time(self, epoch: float) -> str:
        return datetime.fromtimestamp(epoch, ZoneInfo(self.timezone)).strftime("%d.%m. %H:%M")


__all__ = ["Wording"]

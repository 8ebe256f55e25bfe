"""Telling staff: e-mail (SMTP with STARTTLS and login) and an ntfy-style HTTP push.

The garden writes each notification into its database in the same transaction
as the alert change (so a restart neither loses nor repeats one); `Notifier`
delivers them from there and marks each channel done once it succeeded.

Each channel (kiosk/garden/mail.py, kiosk/garden/push.py) has its own worker
thread and its own backoff, so a mail server that hangs or refuses never holds
back the push, nor the other way round. A worker never dies: whatever goes
wrong is logged (throttled), retried with backoff, and shown to staff as the
garden's `notify` fault (kiosk/bus/faults.py) until the channel delivers again.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

from kiosk.clock import parse_iso
from kiosk.garden.mail import EmailChannel
from kiosk.garden.messages import Notice
from kiosk.garden.push import PushChannel
from kiosk.logs import Throttled

log = logging.getLogger(__name__)

SEND_TIMEOUT_S = 15
RETRY_MIN_S, RETRY_MAX_S = 5.0, 600.0
IDLE_S = 30.0                 # look for pending notices this often even without a poke
FAULT = "notify"              # the fault kind staff see (kiosk/bus/faults.py)

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


# --- delivery ------------------------------------------------------------------------------

class _NoFaults:
    def raise_fault(self, kind: str, message: str) -> None:
        pass

    def clear(self, kind: str) -> None:
        pass


class Notifier:
    """Delivers pending notices from the garden database, each channel until it succeeded."""

    def __init__(self, settings, store, *, clock: Callable[[], float] = time.time):
        self._settings = settings
        self._store = store
        self._clock = clock
        self._stop = threading.Event()
        self._faults = _NoFaults()
        self._problems: dict[str, tuple[float, str]] = {}   # channel -> (trouble since, what staff read)
        self._problems_lock = threading.Lock()
        self._workers: list[_ChannelWorker] = []
        self.wording = Wording(reminders=settings.reminder_every_s > 0)
        # The channels that are set up, by name; only these get notices.
        self.channels: dict[str, EmailChannel | PushChannel] = {}
        if settings.email.host and settings.email.recipients:
            self.channels["email"] = EmailChannel(settings.email, self.wording, timeout_s=SEND_TIMEOUT_S,
                                                  clock=clock)
        if settings.ntfy.url:
            self.channels["ntfy"] = PushChannel(settings.ntfy, self.wording, timeout_s=SEND_TIMEOUT_S)

    def attach(self, config, faults) -> None:
        """Learn the station's time zone and sensors, and where to report faults; before `start()`."""
        self.wording = Wording(timezone=config.station.timezone,
                               links={s.node: s.link for s in config.garden.sensors},
                               reminders=self._settings.reminder_every_s > 0)
        for channel in self.channels.values():
            channel.wording = self.wording
        self._faults = faults

    def start(self) -> "Notifier":
        self._workers = [_ChannelWorker(self, channel) for channel in self.channels.values()]
        for worker in self._workers:
            worker.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.wake.set()
        for worker in self._workers:
            worker.join(SEND_TIMEOUT_S + 1)

    def poke(self) -> None:
        """New notices wait: look now, also during a backoff (a new alert is worth a try)."""
        for worker in self._workers:
            worker.wake.set()

    def report(self, channel: str, trouble: str | None) -> None:
        """Set or (None) end the trouble of one channel; staff see all of it as one fault.

        "{since}" in `trouble` becomes the local time this channel's trouble began."""
        with self._problems_lock:
            if trouble is None:
                if self._problems.pop(channel, None) is None:
                    return
            else:
                since = self._problems.get(channel, (self._clock(), ""))[0]
                self._problems[channel] = (since, trouble.replace("{since}", self.wording.clock_time(since)))
            message = " ".join(text for _since, text in self._problems.values())
        if message:
            self._faults.raise_fault(FAULT, message)
        else:
            self._faults.clear(FAULT)


class _ChannelWorker(threading.Thread):
    """Delivers one channel's pending notices; on failure waits with backoff and tries again."""

    def __init__(self, notifier: Notifier, channel: EmailChannel | PushChannel):
        super().__init__(name=f"notify-{channel.name}", daemon=True)
        self.notifier = notifier
        self.channel = channel
        self.wake = threading.Event()
        self._store = notifier._store
        self._trouble = Throttled(log, every_s=600)

    def run(self) -> None:
        stopping = self.notifier._stop
        delay = RETRY_MIN_S
        while not stopping.is_set():
            if self._deliver_pending():
                delay = RETRY_MIN_S
                self.wake.wait(IDLE_S)
            else:
                self.wake.wait(delay)
                delay = min(delay * 2, RETRY_MAX_S)
            self.wake.clear()

    def _deliver_pending(self) -> bool:
        """Send what waits; False when it has to be tried again. Never raises."""
        name = self.channel.name
        try:
            notices = self._store.pending_notices(name)
            if not notices:
                return True
            given_up = self.channel.deliver(notices, self._sent)
        except Exception as exc:    # whatever it is, the worker lives on and tries again
            self.notifier.report(name, self.channel.failing.replace("{why}", self.channel.explain(exc)))
            if isinstance(exc, (OSError, smtplib.SMTPException, ValueError)):
                self._trouble.warning(name, "could not send %s notices (%s: %s); will retry", name,
                                      type(exc).__name__, exc)
            else:
                self._trouble.warning(name, "could not send %s notices; will retry:\n%s", name,
                                      traceback.format_exc())
            return False
        self.notifier.report(name, given_up)
        return True

    def _sent(self, notice: Notice) -> None:
        self._store.mark_notice_sent(notice.id, self.channel.name)
        log.info("sent %s: %s", self.channel.name, self.channel.wording.title(notice))


__all__ = ["Notice", "Notifier", "Wording"]

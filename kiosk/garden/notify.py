"""Telling staff: e-mail (SMTP with STARTTLS and login) and an ntfy-style HTTP push.

The garden writes each notification into its database in the same transaction
as the alert change (so a restart neither loses nor repeats one); `Notifier`
delivers them from there, one channel at a time, retrying with backoff, and
marks each channel done once it succeeded.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage

from kiosk.logs import Throttled

log = logging.getLogger(__name__)

SEND_TIMEOUT_S = 15
RETRY_MIN_S, RETRY_MAX_S = 5.0, 600.0

# Staff read these; they are the office's own words, in German.
TITLES = {
    ("dry", "raised"): "{name}: Bitte gießen",
    ("dry", "reminder"): "{name}: Immer noch trocken – bitte gießen",
    ("stale", "raised"): "{name}: Der Sensor meldet sich nicht",
    ("stale", "reminder"): "{name}: Der Sensor meldet sich immer noch nicht",
    ("fault", "raised"): "{name}: Der Sensor ist gestört",
    ("fault", "reminder"): "{name}: Der Sensor ist immer noch gestört",
}
CLEARED_TITLE = "{name}: Alles wieder gut"
BODIES = {
    "dry": "Die Erde im {name} ist trocken (Feuchte {moisture}). Bitte gießen.",
    "stale": "Seit {since} kam kein Messwert vom Sensor im {name}. Steckt das USB-Kabel? "
             "Hat der Sensor Strom?",
    "fault": "Der Sensor im {name} liefert unmögliche Werte. Steckt er richtig in der Erde? "
             "Ist ein Kabel lose?",
    "ok": "Das {name} ist wieder in Ordnung (Feuchte {moisture}).",
}


@dataclass(frozen=True)
class Notice:
    """One thing to tell staff; `event` is raised, reminder or cleared."""

    id: int
    node: str
    name: str
    kind: str
    event: str
    moisture: float | None
    since: str

    @property
    def title(self) -> str:
        template = CLEARED_TITLE if self.event == "cleared" else TITLES[(self.kind, self.event)]
        return template.format(name=self.name)

    @property
    def body(self) -> str:
        moisture = "unbekannt" if self.moisture is None else f"{self.moisture:.0f} %"
        kind = "ok" if self.event == "cleared" else self.kind
        return BODIES[kind].format(name=self.name, moisture=moisture, since=self.since)

    @property
    def urgent(self) -> bool:
        return self.event != "cleared"


def send_email(settings, notice: Notice) -> None:
    """Deliver by SMTP; raises OSError or smtplib.SMTPException on failure."""
    message = EmailMessage()
    message["Subject"] = notice.title
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message.set_content(notice.body + "\n\n-- \nDie Station im Stadtteilbüro Batenbrock\n")
    context = ssl.create_default_context(cafile=settings.ca_file or None)
    if settings.security == "tls":
        server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SEND_TIMEOUT_S,
                                                context=context)
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=SEND_TIMEOUT_S)
    with server:
        if settings.security == "starttls":
            server.starttls(context=context)
        if settings.username:
            server.login(settings.username, settings.password)
        server.send_message(message)


def send_ntfy(settings, notice: Notice) -> None:
    """POST to an ntfy-style URL; raises OSError (urllib errors are OSErrors) on failure."""
    headers = {
        # HTTP headers are Latin-1; ntfy reads RFC 2047 encoded words for anything else.
        "Title": _header_safe(notice.title),
        "Priority": "high" if notice.urgent else "default",
        "Tags": "seedling" if notice.event == "cleared" else "droplet" if notice.kind == "dry" else "warning",
    }
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"
    request = urllib.request.Request(settings.url, data=notice.body.encode("utf-8"), headers=headers,
                                     method="POST")
    with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_S) as response:
        if response.status >= 300:
            raise OSError(f"ntfy answered {response.status}")


def _header_safe(text: str) -> str:
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        from email.header import Header
        return Header(text, "utf-8").encode()


class Notifier:
    """Delivers pending notices from the garden database, each channel until it succeeded."""

    def __init__(self, settings, store):
        self._settings = settings
        self._store = store
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._trouble = Throttled(log, every_s=600)
        self._thread: threading.Thread | None = None
        self.channels = {}
        if settings.email.host and settings.email.recipients:
            self.channels["email"] = lambda n: send_email(settings.email, n)
        if settings.ntfy.url:
            self.channels["ntfy"] = lambda n: send_ntfy(settings.ntfy, n)

    def start(self) -> "Notifier":
        self._thread = threading.Thread(target=self._run, name="notifier", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(SEND_TIMEOUT_S + 1)

    def poke(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        delay = RETRY_MIN_S
        while not self._stop.is_set():
            self._wake.wait(30)
            self._wake.clear()
            if self._deliver_pending():
                delay = RETRY_MIN_S
            else:
                self._stop.wait(delay)
                delay = min(delay * 2, RETRY_MAX_S)

    def _deliver_pending(self) -> bool:
        """Send what waits, channel by channel; False when a channel failed."""
        ok = True
        for channel, send in self.channels.items():
            for notice in self._store.pending_notices(channel):
                if self._stop.is_set():
                    return ok
                try:
                    send(notice)
                except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
                    ok = False
                    self._trouble.warning(channel, "could not send the %s notice %r: %s; will retry",
                                          channel, notice.title, exc)
                    break
                self._store.mark_notice_sent(notice.id, channel)
                log.info("sent %s: %s", channel, notice.title)
        return ok

"""Telling staff: e-mail (SMTP with STARTTLS and login) and an ntfy-style HTTP push.

What a notice says is kiosk/garden/notices.py; this module delivers it.

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
from typing import Callable

from kiosk.garden.mail import EmailChannel
from kiosk.garden.messages import Notice
from kiosk.garden.notices import Wording
from kiosk.garden.push import PushChannel
from kiosk.logs import Throttled

log = logging.getLogger(__name__)

SEND_TIMEOUT_S = 15
RETRY_MIN_S, RETRY_MAX_S = 5.0, 600.0
IDLE_S = 30.0                 # look for pending notices this often even without a poke
FAULT = "notify"              # the fault kind staff see (kiosk/bus/faults.py)


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


__all__ = ["Notifier"]

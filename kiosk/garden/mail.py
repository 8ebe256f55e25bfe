"""Staff notices by e-mail, one mail per recipient (connecting and sending: kiosk/mail.py).

Each recipient gets a mail of their own, so an address the server refuses for good
(or cannot take, like one with an umlaut before the @ on a server without SMTPUTF8)
neither holds back the others nor is retried for ever: it is reported instead.
"""

from __future__ import annotations

import logging
import smtplib
import time
from email.message import EmailMessage
from typing import TYPE_CHECKING, Callable

from kiosk import mail
from kiosk.mail import WHERE, ascii_address

if TYPE_CHECKING:
    from kiosk.garden.messages import Notice
    from kiosk.garden.notices import Wording

log = logging.getLogger(__name__)


class EmailChannel:
    """Delivers notices by e-mail (the `[garden.notify.email]` settings)."""

    name = "email"
    failing = "E-Mails gehen seit {since} nicht raus: {why}"

    def __init__(self, settings, wording: "Wording", *, timeout_s: float, clock: Callable[[], float] = time.time):
        self.settings = settings
        self.wording = wording
        self.timeout_s = timeout_s
        self._clock = clock
        self._done: dict[int, set[str]] = {}       # notice id -> recipients it reached or that refused it

    def deliver(self, notices: list["Notice"], delivered: Callable[["Notice"], None]) -> str | None:
        """Send `notices` over one connection, calling `delivered(notice)` once every recipient
        got it or refused it for good. Returns what staff should know about refused addresses,
        or None; raises (OSError, smtplib.SMTPException, ...) when the rest has to wait."""
        refused: dict[str, str] = {}
        server = self._connect()
        try:
            for notice in notices:
                message = self._compose(notice)
                done = self._done.setdefault(notice.id, set())
                for recipient in self.settings.recipients:
                    if recipient in done:
                        continue
                    why = self._send_one(server, message, recipient)
                    if why:
                        refused[recipient] = why
                        log.warning("the mail server refuses %s for good (%s); not retrying it", recipient, why)
                    done.add(recipient)
                delivered(notice)
                self._done.pop(notice.id, None)
        finally:
            mail.quit_politely(server)
        if not refused:
            return None
        return (f"E-Mails an {', '.join(sorted(refused))} kommen nicht an "
                f"({'; '.join(sorted(set(refused.values())))}). Prüfe recipients in {WHERE}.")

    def _connect(self) -> smtplib.SMTP:
        return mail.connect(self.settings, self.timeout_s)

    def _compose(self, notice: "Notice") -> EmailMessage:
        return mail.new_message(self.settings, self.wording.title(notice), self.wording.mail_text(notice),
                                tag="garden", timezone=self.wording.timezone, clock=self._clock)

    def _send_one(self, server: smtplib.SMTP, message: EmailMessage, recipient: str) -> str | None:
        return mail.send_one(server, message, recipient)

    def explain(self, exc: BaseException) -> str:
        """What went wrong and what to check, for staff (see kiosk.mail.explain)."""
        return mail.explain(exc, self.settings, "kiosk garden")


__all__ = ["EmailChannel", "ascii_address"]

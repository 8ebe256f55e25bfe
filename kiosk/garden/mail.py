"""Staff notices by e-mail: SMTP with STARTTLS (or TLS) and login, one mail per recipient.

Each recipient gets a mail of their own, so an address the server refuses for good
(or cannot take, like one with an umlaut before the @ on a server without SMTPUTF8)
neither holds back the others nor is retried for ever: it is reported instead.
"""

from __future__ import annotations

import hmac
import logging
import smtplib
import socket
import ssl
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from kiosk.garden.messages import Notice
    from kiosk.garden.notices import Wording

log = logging.getLogger(__name__)

WHERE = "[garden.notify.email]"


class _Utf8Text(str):
    """Text whose ASCII encoding is UTF-8: smtplib encodes AUTH answers as ASCII only
    (cpython#73936), so `login()` raises UnicodeEncodeError for a password like
    "Gießkanne1". PLAIN is UTF-8 by RFC 4616, and servers read LOGIN the same way."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return str.encode(self, "utf-8", errors)


class _Utf8Auth:
    """Mixed into smtplib.SMTP and SMTP_SSL: AUTH with UTF-8 user names and passwords."""

    def auth(self, mechanism, authobject, *, initial_response_ok=True):
        def utf8(challenge=None):
            answer = authobject(challenge)
            return None if answer is None else _Utf8Text(answer)
        return super().auth(mechanism, utf8, initial_response_ok=initial_response_ok)  # type: ignore[misc]

    def auth_cram_md5(self, challenge=None):
        if challenge is None:
            return None
        secret = self.password.encode("utf-8")  # type: ignore[attr-defined]
        return self.user + " " + hmac.HMAC(secret, challenge, "md5").hexdigest()  # type: ignore[attr-defined]


class _SMTP(_Utf8Auth, smtplib.SMTP):
    pass


class _SMTP_SSL(_Utf8Auth, smtplib.SMTP_SSL):
    pass


def ascii_address(address: str) -> str | None:
    """`address` as a server without SMTPUTF8 takes it: a non-ASCII domain in its IDNA
    form (xn--…); None when the part before the @ is not ASCII, which only SMTPUTF8 carries."""
    local, at, domain = address.rpartition("@")
    if not at:
        local, domain = address, ""
    if not local.isascii():
        return None
    if domain.isascii():
        return address
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None


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
            _quit(server)
        if not refused:
            return None
        return (f"E-Mails an {', '.join(sorted(refused))} kommen nicht an "
                f"({'; '.join(sorted(set(refused.values())))}). Prüfe recipients in {WHERE}.")

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context(cafile=settings.ca_file or None)
        if settings.security == "tls":
            server: smtplib.SMTP = _SMTP_SSL(settings.host, settings.port, timeout=self.timeout_s, context=context)
        else:
            server = _SMTP(settings.host, settings.port, timeout=self.timeout_s)
        try:
            if settings.security == "starttls":
                server.starttls(context=context)
            if settings.username:
                server.login(settings.username, settings.password)
        except BaseException:
            server.close()
            raise
        return server

    def _compose(self, notice: "Notice") -> EmailMessage:
        sender = ascii_address(self.settings.sender) or self.settings.sender
        message = EmailMessage()
        message["Subject"] = self.wording.title(notice)
        message["From"] = sender
        # Spam filters mark down a mail without these; the Message-ID's domain is the sender's.
        message["Date"] = format_datetime(datetime.fromtimestamp(self._clock(), ZoneInfo(self.wording.timezone)))
        message["Message-ID"] = make_msgid("garden", domain=sender.rpartition("@")[2] or "localhost")
        message["Auto-Submitted"] = "auto-generated"   # RFC 3834: no out-of-office replies to the station
        message.set_content(self.wording.mail_text(notice))
        return message

    def _send_one(self, server: smtplib.SMTP, message: EmailMessage, recipient: str) -> str | None:
        """Send to one recipient; returns why the server refuses it for good, or None when sent."""
        address = ascii_address(recipient)
        if address is None and not server.has_extn("smtputf8"):
            return "der Mailserver kann keine Umlaute vor dem @"
        address = address or recipient
        del message["To"]
        message["To"] = address
        try:
            server.send_message(message, to_addrs=[address])
        except smtplib.SMTPRecipientsRefused as exc:
            code = next(iter(exc.recipients.values()), (0, b""))[0]
            if code >= 500:
                return f"Fehler {code}"
            raise
        except smtplib.SMTPDataError as exc:
            if exc.smtp_code >= 500:
                return f"Fehler {exc.smtp_code}"
            raise
        return None

    def explain(self, exc: BaseException) -> str:
        """What went wrong and what to check, for staff: short, so that with the push's
        trouble it still fits one fault message (kiosk/bus/faults.py MAX_MESSAGE_CHARS)."""
        settings = self.settings
        if isinstance(exc, smtplib.SMTPAuthenticationError):
            maybe = "" if (settings.username + settings.password).isascii() else " (Passwort mit ß oder Umlaut?)"
            return f"Anmeldung abgelehnt{maybe}. Prüfe username und password in {WHERE}."
        if isinstance(exc, smtplib.SMTPNotSupportedError):
            if "AUTH" in str(exc):
                return f"Der Mailserver bietet keine Anmeldung an. Prüfe host, port und security in {WHERE}."
            if "STARTTLS" in str(exc):
                return f"Der Mailserver kann kein STARTTLS. Prüfe port und security in {WHERE}."
            return f"Der Mailserver kann keine Umlaute vor dem @ des Absenders. Prüfe sender in {WHERE}."
        if isinstance(exc, smtplib.SMTPSenderRefused):
            return f"Der Mailserver lehnt den Absender ab. Prüfe sender in {WHERE}."
        if isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPServerDisconnected)):
            return "Der Mailserver nimmt gerade nichts an. Neuer Versuch folgt."
        if isinstance(exc, smtplib.SMTPException):
            code = getattr(exc, "smtp_code", None)
            return f"Der Mailserver meldet Fehler {code or '?'}. Näheres im Protokoll von kiosk garden."
        if isinstance(exc, ssl.SSLError):
            return f"Die sichere Verbindung klappt nicht. Prüfe security und ca_file in {WHERE}."
        if isinstance(exc, socket.gaierror):
            return f"Mailserver nicht gefunden. Geht das Internet? Prüfe host in {WHERE}."
        if isinstance(exc, OSError):
            return f"Mailserver nicht erreichbar. Geht das Internet? Prüfe host und port in {WHERE}."
        return f"Unerwarteter Fehler ({type(exc).__name__}). Näheres im Protokoll von kiosk garden."


def _quit(server: smtplib.SMTP) -> None:
    """Say goodbye; what has been sent stays sent even if the server does not answer QUIT."""
    try:
        server.quit()
    except (OSError, smtplib.SMTPException):
        server.close()


__all__ = ["EmailChannel", "ascii_address"]

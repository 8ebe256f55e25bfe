"""Staff notices as an ntfy-style HTTP push: the title in a header, the message as the body."""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from email.header import Header
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from kiosk.garden.messages import Notice
    from kiosk.garden.notices import Wording

WHERE = "[garden.notify.ntfy]"


def header_text(text: str) -> str:
    """An HTTP header value for any text. Python sends header values as Latin-1 bytes,
    which ntfy reads as UTF-8 ("Kr\ufffduterbeet" on the phone); ntfy decodes RFC 2047
    encoded words (since 2.4.0), so anything beyond ASCII goes as those."""
    if text.isascii():
        return text
    return Header(text, "utf-8").encode(linesep=" ")


class PushChannel:
    """Delivers notices to the `[garden.notify.ntfy]` URL."""

    name = "ntfy"
    failing = "Push-Nachrichten gehen seit {since} nicht raus: {why}"

    def __init__(self, settings, wording: "Wording", *, timeout_s: float):
        self.settings = settings
        self.wording = wording
        self.timeout_s = timeout_s

    def deliver(self, notices: list["Notice"], delivered: Callable[["Notice"], None]) -> str | None:
        """Push each notice and call `delivered(notice)`; raises (OSError, ValueError, ...) on failure."""
        for notice in notices:
            self._send(notice)
            delivered(notice)
        return None

    def _send(self, notice: "Notice") -> None:
        headers = {
            "Title": header_text(self.wording.title(notice)),
            "Priority": "high" if notice.urgent else "default",
            "Tags": "seedling" if notice.event == "cleared" else "droplet" if notice.kind == "dry" else "warning",
        }
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        request = urllib.request.Request(self.settings.url, data=self.wording.body(notice).encode("utf-8"),
                                         headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
            if response.status >= 300:
                raise OSError(f"ntfy answered {response.status}")

    def explain(self, exc: BaseException) -> str:
        """What went wrong and what to check, for staff (short: see EmailChannel.explain)."""
        if isinstance(exc, urllib.error.HTTPError):
            check = "token" if exc.code in (401, 403) else "url"
            return f"Der Push-Server antwortet mit Fehler {exc.code}. Prüfe {check} in {WHERE}."
        if isinstance(exc, ssl.SSLError) or isinstance(exc, urllib.error.URLError) \
                and isinstance(exc.reason, ssl.SSLError):
            return f"Die sichere Verbindung klappt nicht. Prüfe url in {WHERE}."
        if isinstance(exc, OSError):
            return f"Push-Server nicht erreichbar. Geht das Internet? Prüfe url in {WHERE}."
        if isinstance(exc, ValueError):      # urllib: "unknown url type", http.client: InvalidURL
            return f"Die url ist ungültig, sie muss mit https:// beginnen. Prüfe {WHERE}."
        return f"Unerwarteter Fehler ({type(exc).__name__}). Näheres im Protokoll von kiosk garden."


__all__ = ["PushChannel", "header_text"]

"""One bounded HTTP GET for the desk's outside services: never longer than its deadline, never
more than its byte cap, only the content types asked for.

A book catalogue is a stranger on the internet: it may be down, slow, answer with a captive
portal's HTML page, or send 50 MB. Each of these ends as SourceFailed, so the caller can go on
to the next source or leave the form empty for typing; nothing here raises anything else.

Socket timeouts do not cover the name look-up: with the Pi's uplink gone, getaddrinfo may wait
10 s and more for a DNS server that does not answer. So each request runs in a daemon thread
the caller waits for only until the deadline; a thread left behind ends on its own.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from kiosk import __version__
from kiosk.errors import SourceFailed

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
GRACE_S = 0.1             # the worker's own deadline check comes first; this only covers a stuck name look-up
# Open Library asks callers to name themselves; the DNB's SRU needs no header.
USER_AGENT = f"batenbrock-kiosk/{__version__} (library desk of a neighbourhood phone-booth library)"


class _WebOnly(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another http(s) address (never ftp: or file:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise SourceFailed(f"{_host(req.full_url)} redirected away from the web")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_WebOnly)


def get(url: str, *, deadline: float, max_bytes: int, content_types: tuple[str, ...]) -> bytes:
    """The body of `url`, read until `deadline` (a time.monotonic() value) at the latest.

    Raises SourceFailed when the service is unreachable or slow, answers with an HTTP error,
    a content type other than `content_types` (compared without parameters), or more than
    `max_bytes`.
    """
    outcome: list[bytes | SourceFailed] = []

    def attempt() -> None:
        try:
            outcome.append(_get(url, deadline, max_bytes, content_types))
        except SourceFailed as exc:
            outcome.append(exc)
        except Exception as exc:          # a bug here must still end as "this source failed"
            log.exception("fetching %s", _host(url))
            outcome.append(SourceFailed(f"{_host(url)}: {type(exc).__name__}"))

    worker = threading.Thread(target=attempt, name="desk-fetch", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + GRACE_S)
    if not outcome:
        raise SourceFailed(f"{_host(url)} did not answer in time (not even its name was found)")
    if isinstance(outcome[0], SourceFailed):
        raise outcome[0]
    return outcome[0]


def _get(url: str, deadline: float, max_bytes: int, content_types: tuple[str, ...]) -> bytes:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SourceFailed(f"no time left to ask {_host(url)}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(content_types)})
    try:
        with _OPENER.open(request, timeout=remaining) as response:
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind not in content_types:
                raise SourceFailed(f"{_host(url)} answered with {kind or 'no content type'}")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise SourceFailed(f"{_host(url)} offered {length} bytes, more than {max_bytes}")
            return _read(response, deadline, max_bytes, url)
    except SourceFailed:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # URLError, HTTPError, timeouts, resets, malformed answers: all one thing to the desk.
        raise SourceFailed(f"{_host(url)} did not answer usably ({_why(exc)})") from None


def _read(response, deadline: float, max_bytes: int, url: str) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SourceFailed(f"{_host(url)} was too slow")
        sock = _socket(response)
        if sock is not None:
            sock.settimeout(left)      # a server dripping bytes may not stretch the deadline
        chunk = response.read(min(CHUNK, max_bytes + 1 - size))
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise SourceFailed(f"{_host(url)} sent more than {max_bytes} bytes")


def _socket(response) -> socket.socket | None:
    raw = getattr(getattr(response, "fp", None), "raw", None)
    return getattr(raw, "_sock", None)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url[:40]


def _why(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)[:80]
    return type(exc).__name__

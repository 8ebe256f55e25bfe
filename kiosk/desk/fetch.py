"""One bounded HTTP GET for the desk's outside services: never longer than its deadline, never
more than its byte cap, only the content types asked for.

A book catalogue is a stranger on the internet: it may be down, slow, answer with a captive
portal's HTML page, or send 50 MB. Each of these ends as SourceFailed, so the caller can go on
to the next source or leave the form empty for typing; nothing here raises anything else.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request

from kiosk.errors import SourceFailed

CHUNK = 64 * 1024
# Open Library asks callers to name themselves; the DNB's SRU needs no header.
USER_AGENT = "BatenbrockStation/1 (library desk of a neighbourhood phone-booth library)"


def get(url: str, *, deadline: float, max_bytes: int, content_types: tuple[str, ...]) -> bytes:
    """The body of `url`, read until `deadline` (a time.monotonic() value) at the latest.

    Raises SourceFailed when the service is unreachable or slow, answers with an HTTP error,
    a content type other than `content_types` (compared without parameters), or more than
    `max_bytes`.
    """
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise SourceFailed(f"no time left to ask {_host(url)}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(content_types)})
    try:
        with urllib.request.urlopen(request, timeout=remaining) as response:
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
    return urllib.request.urlparse(url).netloc or url[:40]


def _why(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)[:80]
    return type(exc).__name__

"""The bytes of one calendar feed: an http(s) or webcal URL, a file:// URL or a file path.

Runs inside the feed worker process: the whole download has `limits.fetch_s`
(a server that drips one byte every few seconds never times out a single
read) and at most `limits.max_bytes`.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from kiosk import __version__
from kiosk.offers.budget import Overtime, budget
from kiosk.offers.feeds import FeedLimits, FeedProblem

READ_TIMEOUT_S = 10      # one silent read or connect; the whole download has limits.fetch_s


def fetch(source: str, base_dir: Path, limits: FeedLimits) -> bytes:
    """The bytes of a feed; a relative path is relative to base_dir. Raises FeedProblem naming `source`."""
    try:
        with budget(limits.fetch_s):
            data = _read(source, base_dir, limits.max_bytes)
    except Overtime:
        raise FeedProblem(f"calendar feed {source} did not finish downloading within {limits.fetch_s:g} s") from None
    if len(data) > limits.max_bytes:
        raise _too_large(source, limits.max_bytes)
    return data


def _too_large(source: str, max_bytes: int) -> FeedProblem:
    return FeedProblem(f"calendar feed {source} is larger than {max_bytes / 1e6:g} MB")


def _read(source: str, base_dir: Path, max_bytes: int) -> bytes:
    address = urllib.parse.urlsplit(source) if "://" in source else None
    if address is None:
        return _read_file(Path(source).expanduser(), base_dir, max_bytes)
    if address.scheme == "file":
        if address.netloc not in ("", "localhost"):
            raise FeedProblem(f"calendar feed {source}: a file:// address must name a file on this station")
        return _read_file(Path(urllib.parse.unquote(address.path)), base_dir, max_bytes)
    if address.scheme == "webcal":
        source = "https://" + source.split("://", 1)[1]
    elif address.scheme not in ("http", "https"):
        raise FeedProblem(f"calendar feed {source}: only http(s), webcal and file addresses can be read")
    return _download(source, max_bytes)


def _download(source: str, max_bytes: int) -> bytes:
    import urllib.error         # here: a file feed (and every saved copy) is read without them
    import urllib.request

    request = urllib.request.Request(source, headers={"User-Agent": f"batenbrock-kiosk/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=READ_TIMEOUT_S) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise _too_large(source, max_bytes)        # said up front: not worth downloading
            return response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise FeedProblem(f"calendar feed {source} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FeedProblem(f"calendar feed {source} is unreachable ({reason})") from None


def _read_file(path: Path, base_dir: Path, max_bytes: int) -> bytes:
    if not path.is_absolute():
        path = base_dir / path
    try:
        with open(path, "rb") as handle:
            return handle.read(max_bytes + 1)
    except OSError as exc:
        raise FeedProblem(f"calendar file {path} cannot be read ({exc.strerror or exc})") from None

"""Partner events from iCalendar files and feeds, with a copy on disk for offline days.

Each feed (a file path, a file:// URL or an http(s)/webcal URL) is read in a
worker process of its own (kiosk/offers/feed_worker.py): downloaded, checked,
expanded (RRULE, EXDATE, moved occurrences — by `recurring_ical_events`) and,
when good, saved to DATA_DIR/calendar-cache/. A feed costs at most its
`FeedLimits`: past a limit it is cut (what fits is shown) or refused, and the
log and `FeedResult` say which feed and why. The worker is stopped when it
overruns, it is the first process the kernel ends when memory runs out, and
whatever the calendar libraries do in it cannot reach the kiosk. When the feed
is unreachable, broken or refused, the saved copy is used instead; without a
copy the feed adds nothing. A feed never raises and never blanks the screen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import kiosk
from kiosk.logs import Throttled
from kiosk.offers.model import Offer

log = logging.getLogger(__name__)
warn = Throttled(log, every_s=3600)

CACHE_FOLDER = "calendar-cache"
WORKER = "kiosk.offers.feed_worker"
WORKER_START_S = 15      # a worker's Python start-up on a Pi Zero, on top of its budgets


@dataclass(frozen=True)
class FeedLimits:
    """What one partner feed may cost the kiosk (a Raspberry Pi with 512 MB).

    Measured on a PC before these limits: 100,000 small events took 760 MB, a rule
    repeating every minute 866 MB, FREQ=SECONDLY never finished.
    """

    max_bytes: int = 5_000_000   # download or file; larger is refused
    max_events: int = 3_000      # VEVENTs in the file (parsing costs about 4 KB and 1 ms each); more is refused
    weeks_ahead: int = 26        # dates further out are not read
    dates_per_event: int = 200   # dates of one event (the kiosk shows the next one); the soonest are kept
    max_dates: int = 2_000       # dates of the whole feed; the soonest are kept
    fetch_s: float = 30          # the whole download, however slowly the server sends
    read_s: float = 30           # parsing the file (a Pi 3 is about 6 times slower than a PC)
    expand_s: float = 30         # working out the dates of all its events; the rest is left out
    event_s: float = 5           # expanding one event (a rule repeating every second since 2020); it is left out
    memory_mb: int = 256         # the worker's address space

    def deadline_s(self, download: bool) -> float:
        """When the worker is stopped from outside, should its own budgets not end it."""
        return (self.fetch_s if download else 0) + self.read_s + self.expand_s + WORKER_START_S


class FeedProblem(Exception):
    """A feed could not be read or is not a usable iCalendar file (internal; never escapes)."""


@dataclass(frozen=True)
class FeedResult:
    """What one feed contributed, and what went wrong (each text names the feed, for staff).

    `problem`: why the live feed was not used (then `from_cache` tells whether the
    saved copy stood in). `cut`: what was left out of what is shown, and why.
    """

    source: str
    offers: tuple[Offer, ...]
    problem: str = ""
    from_cache: bool = False
    cut: tuple[str, ...] = ()


def cache_path(cache_dir: Path, source: str) -> Path:
    """Where the last good copy of `source` is kept."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:20]
    return Path(cache_dir) / f"{digest}.ics"


def load_feed(source: str, cache_dir: Path, base_dir: Path, tz: str, now: datetime,
              limits: FeedLimits = FeedLimits()) -> FeedResult:
    """The offers of one feed, live if possible, else from its saved copy. Never raises.

    Takes at most about `limits.deadline_s` twice (the live feed, then the copy).
    """
    copy = cache_path(cache_dir, source)
    try:
        offers, cut = _read_in_worker("live", source, base_dir, copy, tz, now, limits)
    except FeedProblem as exc:
        problem = str(exc)
    else:
        _warn_cut(source, cut)
        return FeedResult(source, offers, cut=cut)
    if not copy.exists():
        warn.warning(f"feed:{source}", "%s; no saved copy yet, so it adds no offers", problem)
        return FeedResult(source, (), problem)
    try:
        offers, cut = _read_in_worker("saved", source, base_dir, copy, tz, now, limits)
        saved = datetime.fromtimestamp(copy.stat().st_mtime, timezone.utc).astimezone(zoneinfo.ZoneInfo(tz))
    except (FeedProblem, OSError) as exc:
        warn.warning(f"feed:{source}", "%s; its saved copy %s is unusable too (%s)", problem, copy, exc)
        return FeedResult(source, (), problem)
    warn.warning(f"feed:{source}", "%s; showing the copy saved %s", problem, saved.strftime("%Y-%m-%d %H:%M"))
    _warn_cut(source, cut)
    return FeedResult(source, offers, problem, from_cache=True, cut=cut)


def save_copy(path: Path, data: bytes) -> None:
    """Replace the saved copy atomically, so a power cut leaves the old or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.read_bytes() == data:
            os.utime(path)     # unchanged: spare the SD card, just note when it was confirmed
            return
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".ics")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- the worker process: a request as JSON on stdin, the answer as JSON on stdout -----------------

def worker_request(mode: str, source: str, base_dir: Path, copy: Path, tz: str, now: datetime,
                   limits: FeedLimits) -> dict:
    """What the worker is asked: "live" reads `source` and saves a good copy, "saved" reads the copy."""
    return {"mode": mode, "source": source, "base_dir": str(base_dir), "copy": str(copy), "tz": tz,
            "now": now.isoformat(), "limits": dataclasses.asdict(limits)}


def offer_as_json(offer: Offer) -> dict:
    """An offer from a feed as plain JSON (the worker's answer)."""
    fields = dataclasses.asdict(offer)
    fields["dates"] = [[start.isoformat(), end.isoformat()] for start, end in offer.dates]
    del fields["weekly"], fields["skip"]           # a feed has dates only
    return fields


def offer_from_json(fields: dict) -> Offer:
    """The offer back from the worker's answer, its dates in the offer's time zone."""
    zone = zoneinfo.ZoneInfo(fields["timezone"])
    dates = tuple((datetime.fromisoformat(a).astimezone(zone), datetime.fromisoformat(b).astimezone(zone))
                  for a, b in fields["dates"])
    return Offer(**{**fields, "audiences": tuple(fields["audiences"]), "topics": tuple(fields["topics"]),
                    "dates": dates})


def _read_in_worker(mode: str, source: str, base_dir: Path, copy: Path, tz: str, now: datetime,
                    limits: FeedLimits) -> tuple[tuple[Offer, ...], tuple[str, ...]]:
    request = worker_request(mode, source, base_dir, copy, tz, now, limits)
    deadline = limits.deadline_s(download=mode == "live")
    # The worker imports this very package, wherever it was imported from here.
    package_root = str(Path(kiosk.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))}
    what = f"calendar feed {source}" if mode == "live" else f"the saved copy of calendar feed {source}"
    try:
        done = subprocess.run([sys.executable, "-m", WORKER], input=json.dumps(request).encode("utf-8"),
                              capture_output=True, timeout=deadline, env=env)
    except subprocess.TimeoutExpired:
        raise FeedProblem(f"{what} was still being read after {deadline:g} s and was stopped") from None
    except OSError as exc:
        raise FeedProblem(f"{what} cannot be read: no worker process ({exc})") from None
    try:
        answer = json.loads(done.stdout)
        problem, warning = answer.get("problem"), answer.get("warning")
        if not problem:
            offers = tuple(offer_from_json(o) for o in answer["offers"])
            cut = tuple(str(note) for note in answer["cut"])
    except (ValueError, KeyError, TypeError, AttributeError):
        stderr = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = f"signal {-done.returncode}" if done.returncode < 0 else f"exit code {done.returncode}"
        log.debug("feed worker for %s: %s", source, "\n".join(stderr[-20:]))
        raise FeedProblem(f"the reader of {what} ended without an answer ({reason}"
                          + (f": {stderr[-1][:200]}" if stderr else "") + ")") from None
    if problem:
        raise FeedProblem(str(problem))
    if warning:
        warn.warning(f"cache:{source}", "%s", warning)
    return offers, cut


def _warn_cut(source: str, cut: tuple[str, ...]) -> None:
    if cut:
        warn.warning(f"cut:{source}", "%s", "; ".join(cut))

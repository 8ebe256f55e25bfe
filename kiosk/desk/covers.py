"""Small cover pictures of the booth's books, kept on the Pi: data_dir/covers/<isbn13>.jpg.

Where from: Open Library's Covers API by ISBN (`[desk] covers_url`); its covers may be shown
freely, it asks only that lookups by ISBN stay few (docs/desk.md). The DNB's cover service is
not used: its pictures belong to the publishers (via MVB) and are licensed for the DNB's own
catalogue only.

A download is refused unless it is a picture (JPEG, PNG, GIF or WebP) of at most MAX_BYTES and
MAX_PIXELS; it is shrunk to HEIGHT pixels high, saved as a JPEG of a few KB (16 KB for pure noise), and written whole
(a temporary file renamed) so no half picture is ever shown. Nothing here raises: a cover that
fails is simply not there.
"""

from __future__ import annotations

import io
import logging
import os
import re
import tempfile
from pathlib import Path

from kiosk.desk import fetch as web
from kiosk.errors import SourceFailed

log = logging.getLogger(__name__)

FOLDER = "covers"
HEIGHT = 240                       # the console's list and the booth screen show it smaller still
QUALITY = 80
MAX_BYTES = 2 * 1024 * 1024        # a "-M" cover is 10-60 KB
MAX_PIXELS = 25_000_000            # refused before decoding: no decompression bombs
MIN_SIDE = 16                      # a 1×1 placeholder is no cover
CONTENT_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
_ISBN13 = re.compile(r"^97[89]\d{10}$")


def covers_dir(config) -> Path:
    return Path(config.data_dir) / FOLDER


def cover_path(config, isbn13: str) -> Path | None:
    """The stored cover of the book with this ISBN-13, or None."""
    if not isinstance(isbn13, str) or not _ISBN13.match(isbn13):
        return None                # never a path built from anything but 13 digits
    path = covers_dir(config) / f"{isbn13}.jpg"
    return path if path.is_file() else None


def fetch(config, isbn13: str, *, deadline: float) -> str:
    """The cover's file name in covers_dir after fetching it if needed, or "" (none, or it failed)."""
    if cover_path(config, isbn13):
        return f"{isbn13}.jpg"
    template = config.desk.covers_url
    if not (template and config.desk.online and _ISBN13.match(isbn13)):
        return ""
    try:
        data = web.get(template.replace("{isbn}", isbn13), deadline=deadline, max_bytes=MAX_BYTES,
                       content_types=CONTENT_TYPES)
        small = shrink(data)
        store(config, isbn13, small)
    except (SourceFailed, OSError) as exc:
        log.info("no cover for %s: %s", isbn13, exc)
        return ""
    return f"{isbn13}.jpg"


def shrink(data: bytes) -> bytes:
    """A JPEG at most HEIGHT pixels high of the picture in `data`; raises SourceFailed for
    anything that is not a picture of a sensible size."""
    from PIL import Image, ImageOps     # here: looking a book up without a cover needs no Pillow

    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as picture:
            width, height = picture.size
            if width * height > MAX_PIXELS or min(width, height) < MIN_SIDE:
                raise SourceFailed(f"a cover of {width}×{height} pixels is refused")
            picture.draft("RGB", (HEIGHT * 2, HEIGHT))      # JPEG: decode at a fraction of the size
            picture = ImageOps.exif_transpose(picture).convert("RGB")
            picture.thumbnail((HEIGHT * 2, HEIGHT))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=QUALITY, optimize=True)
            return out.getvalue()
    except SourceFailed:
        raise
    except Exception as exc:           # Pillow raises many kinds for a broken picture; all mean "not a cover"
        raise SourceFailed(f"not a usable picture ({type(exc).__name__})") from None


def store(config, isbn13: str, jpeg: bytes) -> Path:
    """Write the cover whole: a temporary file, then renamed over the name."""
    folder = covers_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{isbn13}.jpg"
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{isbn13}.", suffix=".part")  # one per writer
    partial = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(jpeg)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path

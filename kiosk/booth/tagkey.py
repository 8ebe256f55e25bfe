"""Keyed hashes of tag UIDs: the booth stores HMAC-SHA256(key, UID), never the UID.

Any phone can read a card's fixed UID, so a plain hash of a 4-byte UID could be
reversed by trying all 2^32; with a secret key that lives only in the data
directory (mode 0600) it cannot.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from kiosk.errors import BadTag, KeyFileError

KEY_FILE = "booth.key"
KEY_BYTES = 32
UID_LENGTHS = (4, 7, 10)


def load_or_create_key(data_dir: str | Path) -> bytes:
    """The booth's key from data_dir/booth.key, created (0600) on first use.

    Safe when the booth and `kiosk admin` start at once: the key is written to a
    temporary file and linked into place, so nobody ever reads a half-written key.
    Raises KeyFileError.
    """
    folder = Path(data_dir)
    path = folder / KEY_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            temp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, secrets.token_bytes(KEY_BYTES))
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(temp, path)      # fails if another process was first: use theirs
            except FileExistsError:
                pass
            finally:
                temp.unlink(missing_ok=True)
            _fsync_dir(folder)
        key = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot create or read the booth key {path}: {exc.strerror or exc}") from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"the booth key {path} is damaged ({len(key)} bytes instead of {KEY_BYTES}); "
                           "restore it from the backup — without it no card or book is recognised")
    return key


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def parse_tag(text: str) -> bytes:
    """UID bytes from what staff type ("04a1b2c3", "04:A1:B2:C3"). Raises BadTag (without echoing it)."""
    cleaned = str(text).strip().replace(":", "").replace("-", "").replace(" ", "")
    try:
        uid = bytes.fromhex(cleaned)
    except ValueError:
        raise BadTag("the tag is not hexadecimal; write it like 04a1b2c3 or 04:A1:B2:C3") from None
    if len(uid) not in UID_LENGTHS:
        raise BadTag(f"the tag has {len(uid)} bytes; tag UIDs have 4, 7 or 10")
    return uid


def tag_hash(key: bytes, uid: bytes) -> str:
    """The stored identity of a tag: HMAC-SHA256(key, UID) as hex."""
    return hmac.new(key, uid, hashlib.sha256).hexdigest()

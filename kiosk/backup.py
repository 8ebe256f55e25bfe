"""`kiosk admin backup` and `kiosk admin restore`: every SQLite file of this Pi.

A plain file copy of a live WAL database can be torn; SQLite's backup API gives a
consistent snapshot while the services keep writing. A restore goes the other way,
with the services stopped (see `restore`).

Each backup folder holds a marker file (MARKER) naming the station that made it, when,
and the files it wrote. Rotation goes by that marker alone: backups go to USB sticks and
shared folders that hold other things, and only this station's own backups, and of
them only the files it wrote, may ever be removed. The marker says "complete" only
once every file is on disk; a folder is written under a hidden name and gets its
date-time name only then, so a half-written backup never looks like a good one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.errors import ConfigError, KioskError, NotFoundError, StoreError
from kiosk.store import snapshot

MARKER = "kiosk-backup.json"
MARKER_KIND = "batenbrock-kiosk backup"
MADE_BY_BACKUP = "kiosk admin backup"            # nightly or by hand: rotated
MADE_BY_RESTORE = "kiosk admin restore"          # the safety copy before a restore: never rotated

_WRITE_HINTS = {
    errno.EACCES: "; pick a folder this user may write (or run the command with sudo)",
    errno.EPERM: "; pick a folder this user may write (or run the command with sudo)",
    errno.EROFS: " — is the USB stick write-protected?",
    errno.ENOSPC: " — make room, or use another stick",
}


@dataclass(frozen=True)
class BackupFolder:
    """A folder with a readable marker: what a station wrote there."""

    path: Path
    station: str
    made: str              # ISO 8601, UTC, microseconds: sorts by time
    made_by: str
    complete: bool
    files: tuple[str, ...]


def backup(config, args) -> int:
    """`kiosk admin backup [--to DIR] [--keep N]`: a consistent copy of every database and key.

    DIR must exist (a USB stick that is not mounted is an error, not a new folder on the
    SD card); the default DATA_DIR/backup is made when missing. Afterwards the oldest of
    this station's backups in DIR beyond the newest `keep` are removed; nothing else in
    DIR is touched. Raises NotFoundError, ConfigError, StoreError.
    """
    if args.keep < 1:
        raise ConfigError("--keep", f"{args.keep} keeps no backup", "give 1 or more (the default keeps 14)")
    source = config.data_dir
    if args.to:
        target_root = Path(args.to)
        if not target_root.is_dir():
            what = "is not a folder" if target_root.exists() else "does not exist"
            raise NotFoundError(f"the backup folder {target_root} {what}; plug in and mount the USB stick, "
                                f"or make the folder first (mkdir -p {target_root})")
    else:
        target_root = source / "backup"
        _make_folder(target_root)
    files = sorted(source.glob("*.sqlite"))
    keys = sorted(source.glob("*.key"))
    # One backup at a time per folder (the nightly timer and staff by hand may meet): then an
    # unfinished backup the rotation finds is a leftover of one that was killed, never a running one.
    with _only_one_backup_in(target_root):
        # The booth's card key belongs with its database: without it no card is recognised.
        target = write_backup(target_root, files, keys, station=config.station.id, made_by=MADE_BY_BACKUP)
        print(f"backed up {len(files)} database(s){f' and {len(keys)} key(s)' if keys else ''} to {target}")
        for removed in rotate(target_root, config.station.id, args.keep, current=target):
            print(f"removed the old backup {removed}")
    return 0


@contextlib.contextmanager
def _only_one_backup_in(folder: Path) -> Iterator[None]:
    # A lock on the folder itself: nothing is written to the staff's stick for it.
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise StoreError(f"cannot open the backup folder {folder}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_backup(root: Path, databases: list[Path], keys: list[Path], *, station: str, made_by: str,
                 suffix: str = "") -> Path:
    """Snapshot `databases` and copy `keys` into a new folder ROOT/<date-time><suffix> with
    its marker; returns the folder. On any failure nothing of it is left. Raises StoreError."""
    now = datetime.now(timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%SZ") + suffix
    name, number = stamp, 1
    while (root / name).exists() or (root / f".{name}.partial").exists():
        number += 1                                  # two backups within one second
        name = f"{stamp}-{number}"
    partial, target = root / f".{name}.partial", root / name
    marker = {"kind": MARKER_KIND, "station": station, "made": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
              "made_by": made_by, "complete": False, "files": [p.name for p in databases + keys]}
    try:
        partial.mkdir()
    except OSError as exc:
        raise StoreError(f"cannot write to {root}: {exc.strerror or exc}{_WRITE_HINTS.get(exc.errno, '')}") from None
    try:
        _write_marker(partial, marker)
        for path in databases:
            snapshot(path, partial / path.name)
        for path in keys:
            _copy_secret(path, partial / path.name)
        marker["complete"] = True
        _write_marker(partial, marker)
        partial.rename(target)
    except Exception as exc:   # OSError, or sqlite3's errors (kiosk.store owns that import)
        _remove_backup_files(partial, marker["files"])
        reason = f"{getattr(exc, 'strerror', None) or exc}{_WRITE_HINTS.get(getattr(exc, 'errno', None), '')}"
        raise StoreError(f"the backup to {root} failed: {reason}; nothing of it was kept") from exc
    return target


def read_marker(folder: Path) -> BackupFolder | None:
    """The backup in `folder`, or None when it has no readable marker (then it is no backup)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != MARKER_KIND:
        return None
    files = data.get("files")
    fields = (data.get("station"), data.get("made"), data.get("made_by"))
    if not all(isinstance(v, str) for v in fields) or not isinstance(data.get("complete"), bool) \
            or not isinstance(files, list) or not all(_plain_name(f) for f in files):
        return None
    return BackupFolder(folder, *fields, complete=data["complete"], files=tuple(files))


def backups_in(root: Path) -> list[BackupFolder]:
    """Every folder directly in `root` that carries a marker (hidden, unfinished ones too)."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            marked = read_marker(entry)
            if marked is not None:
                found.append(marked)
    return found


def rotate(root: Path, station: str, keep: int, current: Path) -> list[Path]:
    """Remove this station's backups in `root` made by `kiosk admin backup` beyond the newest
    `keep` (counting `current`, which always stays), and its unfinished ones; returns them.

    Only the files a marker lists and the marker itself are deleted, and the folder only
    when that leaves it empty: what someone else put there stays.
    """
    ours = [b for b in backups_in(root) if b.station == station and b.made_by == MADE_BY_BACKUP
            and b.path != current]
    finished = sorted((b for b in ours if b.complete), key=lambda b: (b.made, b.path.name), reverse=True)
    unfinished = [b for b in ours if not b.complete]
    removed = []
    for old in finished[keep - 1:] + unfinished:
        _remove_backup_files(old.path, old.files)
        removed.append(old.path)
    return removed


def _remove_backup_files(folder: Path, files) -> None:
    for name in [*files, MARKER]:
        for path in [folder / f"{name}{suffix}" for suffix in ("", ".partial", "-journal", "-wal", "-shm")]:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass                  # a read-only stick: the next rotation tries again
    try:
        folder.rmdir()
    except OSError:
        pass                          # not empty: someone else's files stay with it


def _write_marker(folder: Path, marker: dict) -> None:
    path = folder / MARKER
    partial = folder / f"{MARKER}.partial"
    with open(partial, "w", encoding="utf-8") as f:
        json.dump(marker, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def _plain_name(name: object) -> bool:
    # A marker may only ever name files in its own folder.
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\0" not in name


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the backup folder {path}: {exc.strerror or exc}") from None


# --- restore ---------------------------------------------------------------------------

SQLITE_HEADER = b"SQLite format 3\x00"
STOP_HINT = ("stop the services first: sudo systemctl stop kiosk-garden kiosk-bridge kiosk-booth kiosk-ui "
             "(start them again afterwards with: sudo systemctl start kiosk-garden kiosk-bridge kiosk-booth kiosk-ui)")


def restore(config, args) -> int:
    """`kiosk admin restore DIR [--yes]`: put the databases of a backup folder back in place.

    The services keep parts of their state in memory, so a restore into a running
    station would be overwritten or contradicted by them: it refuses while any process
    has one of the databases open, and says how to stop the services. Before it
    replaces anything, it backs up the current databases (DATA_DIR/backup/<time>-before-restore),
    so a restore can itself be undone. Each file is copied with SQLite's backup API into
    the live database, so its journal (WAL) stays consistent.
    Raises NotFoundError for a missing or empty folder, StoreError for a file that is no
    database or for databases in use.
    """
    source = Path(args.folder)
    listing = f"`ls {config.data_dir / 'backup'}` lists the backups"
    if not source.is_dir():
        raise NotFoundError(f"backup folder {source} not found; {listing}")
    marked = read_marker(source)
    files = sorted(source.glob("*.sqlite"))
    if marked is not None and not marked.complete:
        raise StoreError(f"{source} is a backup that was never finished (interrupted while it was written); "
                         "nothing was restored — pick another one")
    if not files:
        inside = sorted((b for b in backups_in(source) if b.complete), key=lambda b: b.made)
        if inside:
            raise NotFoundError(f"{source} holds {len(inside)} backup(s), not one: name one of them, e.g. "
                                f"kiosk admin restore {inside[-1].path}")
        raise NotFoundError(f"{source} is not a station backup (no {MARKER}, no *.sqlite files); "
                            f"pick a folder made by `kiosk admin backup` — {listing}")
    if marked is None:
        print(f"note: {source} has no {MARKER}: a backup of an older version, or a folder put together by hand")
    elif marked.station != config.station.id:
        print(f"note: this backup was made by station {marked.station!r}, this is {config.station.id!r}")
    for path in files:
        with open(path, "rb") as f:
            if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(f"{path} is not an SQLite database; nothing was restored")
    live = config.data_dir
    targets = [live / path.name for path in files]
    holders = processes_using(targets)
    if holders:
        users = "; ".join(f"pid {pid} ({command})" for pid, command in holders[:4])
        raise StoreError(f"the databases are in use by {users} — {STOP_HINT}")
    if not args.yes and not _confirm(files, live):
        print("nothing restored")
        return 1
    live.mkdir(parents=True, exist_ok=True)
    existing = [t for t in targets if t.exists()]
    if existing:
        _make_folder(live / "backup")
        safety = write_backup(live / "backup", existing, sorted(live.glob("*.key")), station=config.station.id,
                              made_by=MADE_BY_RESTORE, suffix="-before-restore")
        print(f"the current databases are kept in {safety}")
    for path, target in zip(files, targets):
        try:
            snapshot(path, target)
        except Exception as exc:      # sqlite3 errors; kiosk.store owns that import
            raise StoreError(f"restoring {path.name} failed: {exc}; the previous databases are in "
                             f"{live / 'backup'}") from exc
        _match_owner(target, live)
        print(f"restored {target.name}")
    for path in sorted(source.glob("*.key")):
        _copy_secret(path, live / path.name)
        _match_owner(live / path.name, live)
        print(f"restored {path.name}")
    print(f"restored {len(files)} database(s) from {source}; start the services again")
    return 0


def processes_using(paths) -> list[tuple[int, str]]:
    """(pid, command) of every process that has one of `paths` (or its -wal/-shm file) open."""
    wanted = set()
    for path in paths:
        for suffix in ("", "-wal", "-shm"):
            wanted.add(os.path.realpath(f"{path}{suffix}"))
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
        except OSError:
            continue                 # gone, or another user's process we may not look into
        links = set()
        for fd in fds:
            try:
                links.add(os.readlink(f"/proc/{entry}/fd/{fd}"))
            except OSError:
                pass                 # closed meanwhile (the listing's own descriptor, too)
        if links & wanted:
            try:
                command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                command = "?"
            found.append((int(entry), command[:120] or "?"))
    return found


def _confirm(files, live: Path) -> bool:
    if not sys.stdin.isatty():
        raise KioskError(f"restore replaces {len(files)} database(s) in {live}; add --yes to go ahead")
    names = ", ".join(p.name for p in files)
    answer = input(f"Replace {names} in {live} with the backup? [y/N] ")
    return answer.strip().lower() in ("y", "yes", "j", "ja")


def _match_owner(target: Path, live: Path) -> None:
    # Run as root, a database SQLite had to create would belong to root and the
    # service could not write it; give it to the owner of the data folder.
    if os.geteuid() != 0:
        return
    owner = live.stat()
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{target}{suffix}")
        if path.exists():
            os.chown(path, owner.st_uid, owner.st_gid)


def _copy_secret(source: Path, destination: Path) -> None:
    # Readable by the owner only, and never half-written: written aside, then renamed.
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(source.read_bytes())
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, destination)

"""`kiosk admin backup` and `kiosk admin restore`: every SQLite file of this Pi.

A plain file copy of a live WAL database can be torn; SQLite's backup API gives a
consistent snapshot while the services keep writing. Old backups are rotated.
A restore goes the other way, with the services stopped (see `restore`).
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

from kiosk.errors import KioskError, NotFoundError, StoreError
from kiosk.store import snapshot


def backup(config, args) -> int:
    source = config.data_dir
    target_root = Path(args.to) if args.to else source / "backup"
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = target_root / stamp
    target.mkdir(parents=True, exist_ok=True)
    files = sorted(source.glob("*.sqlite"))
    for path in files:
        snapshot(path, target / path.name)
    # The booth's card key belongs with its database: without it no card is recognised.
    keys = sorted(source.glob("*.key"))
    for path in keys:
        _copy_secret(path, target / path.name)
    print(f"backed up {len(files)} database(s){f' and {len(keys)} key(s)' if keys else ''} to {target}")
    for old in sorted(p for p in target_root.iterdir() if p.is_dir())[:-max(1, args.keep)]:
        shutil.rmtree(old)
    return 0


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
    if not source.is_dir():
        raise NotFoundError(f"backup folder {source} not found; `ls {config.data_dir / 'backup'}` lists the backups")
    files = sorted(source.glob("*.sqlite"))
    if not files:
        raise NotFoundError(f"no *.sqlite files in {source}; pick a folder made by `kiosk admin backup`")
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
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        safety = live / "backup" / f"{stamp}-before-restore"
        for path in existing:
            snapshot(path, safety / path.name)
        for path in live.glob("*.key"):
            _copy_secret(path, safety / path.name)
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

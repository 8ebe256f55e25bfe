"""`kiosk admin backup`: every SQLite file of this Pi, copied with the online backup API.

A plain file copy of a live WAL database can be torn; SQLite's backup API gives a
consistent snapshot while the services keep writing. Old backups are rotated.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

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
    print(f"backed up {len(files)} database(s) to {target}")
    for old in sorted(p for p in target_root.iterdir() if p.is_dir())[:-max(1, args.keep)]:
        shutil.rmtree(old)
    return 0

"""kiosk admin backup while the station runs, and kiosk admin restore with it stopped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


from kiosk import cli
from kiosk import config as config_mod
from kiosk.bus import Bus
from kiosk.garden.store import MIGRATIONS, GardenStore
from kiosk.store import Database
from tests.garden.conftest import RunningGarden


def send_readings(config, seqs) -> None:
    bus = Bus(config, "bridge").start()
    assert bus.wait_connected(10)
    for seq in seqs:
        bus.publish(bus.topics.garden_reading("bed-1"),
                    {"ts": f"2026-11-25T10:00:{seq:02d}.000Z", "node": "bed-1", "seq": seq, "raw": 40000}
                    ).wait_for_publish(5)
    bus.stop()


def wait_for_readings(running: RunningGarden, count: int) -> None:
    import time
    deadline = time.monotonic() + 10
    while running.store.count_readings("bed-1") < count:
        assert time.monotonic() < deadline, f"garden stored {running.store.count_readings('bed-1')} of {count}"
        time.sleep(0.05)


def readings_in(path) -> int:
    with Database(path, MIGRATIONS) as db:
        return GardenStore(db).count_readings("bed-1")


def test_backup_while_running_then_restore_with_the_station_stopped(broker, make_config, tmp_path, capsys):
    config = make_config(broker.port)
    toml = config.source
    running = RunningGarden(config)
    try:
        send_readings(config, range(5))
        wait_for_readings(running, 5)
        (config.data_dir / "booth.key").write_bytes(b"k" * 32)        # the booth's card key
        (tmp_path / "backups").mkdir()                                 # e.g. a mounted USB stick
        assert cli.main(["--config", toml, "admin", "backup", "--to", str(tmp_path / "backups")]) == 0
        (snapshot_dir,) = (tmp_path / "backups").iterdir()
        assert json.loads((snapshot_dir / "kiosk-backup.json").read_text())["complete"] is True
        assert readings_in(snapshot_dir / "garden.sqlite") == 5
        assert (snapshot_dir / "booth.key").read_bytes() == b"k" * 32
        assert (snapshot_dir / "booth.key").stat().st_mode & 0o777 == 0o600
        (config.data_dir / "booth.key").unlink()                       # lost with the SD card
        send_readings(config, range(5, 12))
        wait_for_readings(running, 12)

        # Restoring under a running service would be undone by what it keeps in memory.
        capsys.readouterr()
        assert cli.main(["--config", toml, "admin", "restore", str(snapshot_dir), "--yes"]) == 2
        err = capsys.readouterr().err
        assert "in use by pid" in err and "sudo systemctl stop kiosk-garden" in err
    finally:
        running.stop()

    assert cli.main(["--config", toml, "admin", "restore", str(snapshot_dir)]) == 2      # asks, and stdin is no tty
    assert "add --yes" in capsys.readouterr().err
    assert cli.main(["--config", toml, "admin", "restore", str(snapshot_dir), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "restored garden.sqlite" in out
    assert readings_in(config.data_dir / "garden.sqlite") == 5
    assert (config.data_dir / "booth.key").read_bytes() == b"k" * 32
    # What the restore replaced is kept, so it can be undone.
    (kept,) = (config.data_dir / "backup").glob("*-before-restore")
    assert readings_in(kept / "garden.sqlite") == 12

    running = RunningGarden(config)          # the station starts again on the restored data
    try:
        send_readings(config, [40])
        wait_for_readings(running, 6)
    finally:
        running.stop()


def test_restore_refuses_what_is_not_a_backup(make_config, tmp_path, capsys):
    config = make_config()
    assert cli.main(["--config", config.source, "admin", "restore", str(tmp_path / "nowhere"), "--yes"]) == 2
    assert "not found" in capsys.readouterr().err
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "garden.sqlite").write_text("not a database")
    assert cli.main(["--config", config.source, "admin", "restore", str(tmp_path / "odd"), "--yes"]) == 2
    assert "is not an SQLite database; nothing was restored" in capsys.readouterr().err


# --- backups on a stick that holds other things ----------------------------------------

def make_databases(config) -> None:
    for name in ("garden", "booth"):
        with Database(config.data_dir / f"{name}.sqlite", MIGRATIONS):
            pass
    (config.data_dir / "booth.key").write_bytes(b"k" * 32)


def files_under(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_rotation_only_ever_removes_this_stations_own_backups(make_config, tmp_path, capsys):
    config = make_config()
    make_databases(config)
    stick = tmp_path / "stick"
    # What a staff member's USB stick holds besides the backups: folders named to sort
    # after the date-time names, one that looks like a backup, and another station's backup.
    for name, content in {"Archiv/Rechnung 2025.pdf": b"%PDF", "Auto/fahrtenbuch.txt": b"km",
                          "Zeugnisse/a.doc": b"doc", "20990101T000000Z/eigene.txt": b"mine",
                          "notes.txt": b"top"}.items():
        (stick / name).parent.mkdir(parents=True, exist_ok=True)
        (stick / name).write_bytes(content)
    other = tmp_path / "other-station.toml"
    other.write_text(Path(config.source).read_text().replace('id = "test-1"', 'id = "other-station"')
                     .replace(str(config.data_dir), str(tmp_path / "other-data")))
    make_databases(config_mod.load(other))
    assert cli.main(["--config", str(other), "admin", "backup", "--to", str(stick)]) == 0
    before = files_under(stick)
    made = []
    for _ in range(4):
        assert cli.main(["--config", config.source, "admin", "backup", "--to", str(stick), "--keep", "2"]) == 0
        made.append(capsys.readouterr().out.split(" to ")[1].split("\n")[0])
    after = files_under(stick)
    # Everything that was there before is still there, byte for byte.
    assert {k: v for k, v in after.items() if k in before} == before
    # Of this station's four backups the two newest are kept, the last one among them.
    mine = sorted({k.split("/")[0] for k in after if k not in before})
    assert mine == sorted(Path(m).name for m in made[-2:])
    assert (Path(made[-1]) / "garden.sqlite").exists() and (Path(made[-1]) / "booth.key").exists()


def test_rotation_leaves_what_someone_put_into_an_old_backup(make_config, tmp_path, capsys):
    config = make_config()
    make_databases(config)
    stick = tmp_path / "stick"
    stick.mkdir()
    assert cli.main(["--config", config.source, "admin", "backup", "--to", str(stick), "--keep", "1"]) == 0
    (first,) = stick.iterdir()
    (first / "README von Petra.txt").write_text("nicht löschen")
    assert cli.main(["--config", config.source, "admin", "backup", "--to", str(stick), "--keep", "1"]) == 0
    assert capsys.readouterr().out.count("removed the old backup") == 1
    assert sorted(p.name for p in first.iterdir()) == ["README von Petra.txt"]   # only the backup's own files went
    assert len(list(stick.iterdir())) == 2


def test_rotation_clears_what_a_killed_backup_left_and_nothing_like_it_of_others(make_config, tmp_path, capsys):
    config = make_config()
    make_databases(config)
    stick = tmp_path / "stick"
    stick.mkdir()
    assert cli.main(["--config", config.source, "admin", "backup", "--to", str(stick)]) == 0
    (good,) = stick.iterdir()
    marker = json.loads((good / "kiosk-backup.json").read_text())
    for name, station in ((".20260101T031500Z.partial", "test-1"), (".20260102T031500Z.partial", "other")):
        left = stick / name                       # as a backup killed half-way leaves it
        shutil.copytree(good, left)
        (left / "kiosk-backup.json").write_text(json.dumps({**marker, "station": station, "complete": False}))
    assert cli.main(["--config", config.source, "admin", "backup", "--to", str(stick)]) == 0
    assert sorted(p.name for p in stick.iterdir())[:1] == [".20260102T031500Z.partial"]
    assert len(list(stick.iterdir())) == 3        # two finished backups of ours, the other station's leftover


def test_backup_to_a_missing_folder_is_one_line_and_exit_2(make_config, tmp_path, capsys):
    config = make_config()
    make_databases(config)
    missing = tmp_path / "usb-stick-not-mounted"
    assert cli.main(["--config", config.source, "admin", "backup", "--to", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist; plug in and mount the USB stick" in err
    assert not missing.exists()                       # not silently made on the SD card
    assert cli.main(["--config", config.source, "admin", "backup", "--keep", "0"]) == 2
    assert "--keep: 0 keeps no backup" in capsys.readouterr().err


def backup_to_a_mounted_stick(config, stick, options: str, unprivileged=None) -> tuple[subprocess.CompletedProcess, list]:
    """`kiosk admin backup --to STICK` with a small file system mounted on STICK (`mount -o`
    options) in the command's own mount namespace, which goes with it; its result and what
    the stick holds afterwards. Needs root; without root, `unprivileged(stick)` prepares the
    same situation on the plain folder instead, or the test is skipped."""
    command = [sys.executable, "-m", "kiosk", "--config", config.source, "admin", "backup", "--to", str(stick)]
    if os.geteuid() != 0:
        if unprivileged is None:
            pytest.skip("mounting a small file system needs root")
        unprivileged(stick)
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        return result, sorted(os.listdir(stick))
    if not shutil.which("unshare") or subprocess.run(["unshare", "--mount", "true"]).returncode != 0:
        pytest.skip("root without mount namespaces")
    script = (f'mount -t tmpfs -o {options} none "{stick}" || exit 99; "$@"; status=$?; '
              f'echo "{ON_THE_STICK}"; ls -A "{stick}"; exit $status')
    result = subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", *command],
                            capture_output=True, text=True, timeout=60)
    assert ON_THE_STICK in result.stdout, result.stderr
    return result, sorted(result.stdout.split(ON_THE_STICK + "\n", 1)[1].split())


ON_THE_STICK = "--- on the stick:"


def test_backup_to_a_folder_it_may_not_write_is_one_line_and_exit_2(make_config, tmp_path):
    config = make_config()
    make_databases(config)
    stick = tmp_path / "write-protected-stick"
    stick.mkdir()
    # Root may write into any folder; a stick mounted read-only stops it too.
    result, left = backup_to_a_mounted_stick(config, stick, "ro", unprivileged=lambda folder: folder.chmod(0o555))
    stick.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"kiosk: cannot write to {stick}: ") and result.stderr.count("\n") == 1
    assert left == []


def test_a_backup_that_does_not_fit_leaves_nothing_and_says_so(make_config, tmp_path):
    config = make_config()
    make_databases(config)
    with Database(config.data_dir / "garden.sqlite", MIGRATIONS) as db:       # bigger than the stick
        db.write(lambda conn: conn.execute("CREATE TABLE ballast AS SELECT randomblob(200000) AS b"))
    stick = tmp_path / "full-stick"
    stick.mkdir()
    result, left = backup_to_a_mounted_stick(config, stick, "size=64k")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"kiosk: the backup to {stick} failed: ") and result.stderr.count("\n") == 1
    assert "nothing of it was kept" in result.stderr
    assert left == []                             # no half-written backup on the stick


def test_restore_says_what_a_folder_is_when_it_is_not_a_backup(make_config, tmp_path, capsys):
    config = make_config()
    make_databases(config)
    stick = tmp_path / "stick"
    stick.mkdir()
    assert cli.main(["--config", config.source, "admin", "backup", "--to", str(stick)]) == 0
    (made,) = stick.iterdir()
    (tmp_path / "Archiv").mkdir()
    (tmp_path / "Archiv" / "brief.txt").write_text("Hallo")
    capsys.readouterr()
    assert cli.main(["--config", config.source, "admin", "restore", str(tmp_path / "Archiv"), "--yes"]) == 2
    assert "Archiv is not a station backup" in capsys.readouterr().err
    # The folder that holds the backups, named instead of one of them:
    assert cli.main(["--config", config.source, "admin", "restore", str(stick), "--yes"]) == 2
    assert f"holds 1 backup(s), not one: name one of them, e.g. kiosk admin restore {made}" in capsys.readouterr().err
    # A backup that was interrupted while it was written is not restored.
    marker = json.loads((made / "kiosk-backup.json").read_text())
    (made / "kiosk-backup.json").write_text(json.dumps({**marker, "complete": False}))
    assert cli.main(["--config", config.source, "admin", "restore", str(made), "--yes"]) == 2
    assert "never finished" in capsys.readouterr().err
    (made / "kiosk-backup.json").write_text(json.dumps(marker))
    assert cli.main(["--config", config.source, "admin", "restore", str(made), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "restored garden.sqlite" in out and "restored booth.key" in out
    # What the restore replaced is itself a backup that can be restored, and rotation leaves it alone.
    (kept,) = (config.data_dir / "backup").glob("*-before-restore")
    for _ in range(2):
        assert cli.main(["--config", config.source, "admin", "backup", "--keep", "1"]) == 0
    assert kept.exists()
    assert cli.main(["--config", config.source, "admin", "restore", str(kept), "--yes"]) == 0

"""kiosk admin backup while the station runs, and kiosk admin restore with it stopped."""

from __future__ import annotations

from kiosk import cli
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
        assert cli.main(["--config", toml, "admin", "backup", "--to", str(tmp_path / "backups")]) == 0
        (snapshot_dir,) = (tmp_path / "backups").iterdir()
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

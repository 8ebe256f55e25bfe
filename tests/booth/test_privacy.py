"""No raw UID anywhere it could leak: MQTT payloads, log lines, exports, the database; anonymisation."""

from __future__ import annotations

import logging
import os
import stat
from datetime import timedelta

from kiosk.booth.messages import MonthCounts
from kiosk.booth.store import BoothStore, _now
from kiosk.booth.tagkey import KEY_FILE
from kiosk.cli import main
from tests.booth.booth_process import BoothProcess
from tests.booth.conftest import ANNA, BEN, BOOK1, BOOK2, BOOK4, SUMMARY, UNKNOWN

TAGS = (ANNA, BEN, BOOK1, BOOK2, BOOK4, UNKNOWN)


def forms(uid_hex: str) -> list[str]:
    """Every way a UID could show up: hex (any case, with colons), decimal (both byte orders),
    and the decimal the mfrc522 library's read_id makes (UID plus BCC)."""
    raw = bytes.fromhex(uid_hex)
    bcc = bytes([raw[0] ^ raw[1] ^ raw[2] ^ raw[3]])
    out = [raw.hex(), raw.hex().upper(), ":".join(f"{b:02x}" for b in raw), ":".join(f"{b:02X}" for b in raw),
           str(int.from_bytes(raw, "big")), str(int.from_bytes(raw, "little")),
           str(int.from_bytes(raw[:4] + bcc, "big"))]
    return out


def assert_clean(text: str, where: str) -> None:
    for uid in TAGS:
        for form in forms(uid):
            assert form not in text, f"{where} contains a raw UID ({form})"


def test_no_raw_uid_in_mqtt_logs_exports_or_database(stocked, run_booth, watch, caplog, tmp_path, capsys):
    config = stocked()
    watcher = watch(config, "batenbrock/#")
    with caplog.at_level(logging.DEBUG):
        booth = run_booth(config)
        for uid in (ANNA, BOOK1, BOOK4, BEN, BOOK1, UNKNOWN, BEN, BOOK2):
            booth.tap(uid)
        watcher.wait_for(SUMMARY, lambda p: p["active_loans"] == 2)
        booth.stop()
    payloads = b"\n".join(m.payload for m in watcher.drain())
    assert b"checkout" in payloads
    assert_clean(payloads.decode("utf-8", "replace"), "an MQTT payload")
    assert_clean("\n".join(r.getMessage() for r in caplog.records), "a log line")
    assert main(["--config", config.source, "admin", "export"]) == 0
    assert main(["--config", config.source, "admin", "loans", "--json"]) == 0
    assert main(["--config", config.source, "admin", "book", "list"]) == 0
    assert main(["--config", config.source, "admin", "card", "list"]) == 0
    out = capsys.readouterr().out
    assert "Lesefuchs 1" in out
    assert_clean(out, "an export")
    files = b"".join(p.read_bytes() for p in config.data_dir.iterdir() if p.name.startswith("booth.sqlite"))
    for uid in TAGS:
        assert bytes.fromhex(uid) not in files and uid.encode() not in files and uid.upper().encode() not in files


def test_no_raw_uid_in_the_service_log_with_garbage_and_debug(stocked, tmp_path):
    config = stocked()
    process = BoothProcess(config, tmp_path / "booth.log")
    try:
        os.environ["KIOSK_LOG_LEVEL"] = "DEBUG"
        process.start()
        process.publish_raw(b'{"uid": "04a1b2c3d4", "present": true}')      # 5 bytes: bad
        process.publish_raw(b'{"uid": "04a1b2c3", "present": "yes"}')
        mark = len(process.events)
        for uid in (ANNA, BOOK1, ANNA):
            process.simulate(uid, True)
            assert process.wait_event(lambda e: True, mark, 5)
            mark = len(process.events)
            process.simulate(uid, False)
            import time
            time.sleep(0.1)
    finally:
        os.environ.pop("KIOSK_LOG_LEVEL", None)
        process.close()
    text = (tmp_path / "booth.log").read_text(encoding="utf-8", errors="replace")
    assert "checkout: Lesefuchs 1, book 1" in text
    assert "bad message" in text
    assert_clean(text, "the booth's log")


def test_key_file_is_private_and_stable(stocked):
    config = stocked()
    path = config.data_dir / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_bytes()
    with BoothStore.open(config) as store:
        assert store.key == key
        assert store.add_card("0a0b0c0d").pseudonym == "Leseigel 4"


def test_anonymisation_keeps_monthly_counts(stocked, run_booth):
    config = stocked()
    booth = run_booth(config)
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.tap(BOOK2)
    booth.tap(ANNA)
    booth.tap(BOOK1)                          # returned now
    booth.stop()
    with BoothStore.open(config) as store:
        month = store.month(_now())
        before = store.month_counts(month)
        assert before == MonthCounts(loans=2, returns=1, readers=1, new_books=4)
        assert store.anonymise(90) == 0                               # too recent
        assert store.anonymise(90, now=_now() + timedelta(days=91)) == 1
        rows = store.export_rows()
        assert [(r["book"], r["card"]) for r in rows] == [(1, ""), (2, "Lesefuchs 1")]   # open loans keep their card
        assert store.month_counts(month) == before


def test_booth_anonymises_by_itself_at_start(stocked, run_booth):
    config = stocked()
    booth = run_booth(config)
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.tap(ANNA)
    booth.tap(BOOK1)
    booth.stop()
    clock = type(booth.clock)()
    clock.advance(91 * 86400)
    again = run_booth(config, clock=clock)
    import time
    deadline = time.monotonic() + 5
    while again.store.export_rows()[0]["card"] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert again.store.export_rows()[0]["card"] == ""

"""Mfrc522Reader on the emulated chip: taps, cascade levels, collisions, faults, cost."""

import logging

import pytest

from kiosk.hardware.rfid import GONE, TAP, Mfrc522Chip, ReaderClosed, TagEvent, make_reader

UID4 = bytes.fromhex("deadbeef")
UID7 = bytes.fromhex("04a1b2c3d4e5f6")


def polls(reader, count):
    return [reader.poll() for _ in range(count)]


def test_reads_4_byte_uid(reader, field):
    assert reader.poll() is None
    field.present(UID4)
    assert reader.poll() == UID4


def test_reads_7_byte_uid_whole(reader, field):
    field.present(UID7)
    assert reader.poll() == UID7
    assert reader.present == {UID7}


def test_card_lying_on_the_reader_counts_once(reader, field):
    field.present(UID4)
    assert polls(reader, 20) == [UID4] + [None] * 19
    assert field.card(UID4).state == "HALT"
    assert reader.present == {UID4}


def test_card_counts_again_after_removal_and_return(reader, field):
    field.present(UID7)
    assert reader.poll() == UID7
    field.remove(UID7)
    assert [reader.poll_events() for _ in range(3)] == [[], [], [TagEvent(GONE, UID7)]]
    assert reader.present == frozenset()
    field.present(UID7)
    assert reader.poll() == UID7


def test_brief_flicker_is_not_a_new_tap(reader, field):
    field.present(UID4)
    assert reader.poll() == UID4
    field.remove(UID4)
    assert reader.poll() is None
    field.present(UID4)
    assert polls(reader, 5) == [None] * 5


def test_second_card_arriving_while_first_lies_there(reader, field):
    field.present(UID4)
    assert reader.poll() == UID4
    field.present(UID7)
    assert reader.poll() == UID7
    assert polls(reader, 5) == [None] * 5
    assert reader.present == {UID4, UID7}
    field.remove(UID4)
    events = [event for _ in range(3) for event in reader.poll_events()]
    assert events == [TagEvent(GONE, UID4)]
    assert reader.present == {UID7}


def test_two_cards_arriving_together_never_give_a_wrong_uid(reader, field):
    field.present("deadbeef")
    field.present("deadbeff")
    assert polls(reader, 10) == [None] * 10
    field.remove("deadbeff")
    assert UID4 in polls(reader, 3)


@pytest.mark.parametrize("after", range(0, 140, 9))
def test_tag_pulled_away_mid_read(chip, clock, after):
    reader, field = make_reader("emulated", chip=chip, sleep=clock.sleep, clock=clock)
    reader.poll()
    field.present(UID7)
    chip.after_transfers(after, lambda: field.remove(UID7))
    assert reader.poll() in (UID7, None)
    polls(reader, 3)
    assert reader.present == frozenset()
    field.present(UID7)
    assert reader.poll() == UID7


def test_spi_errors_are_survived_and_logged_once(reader, field, chip, caplog):
    field.present(UID4)
    assert reader.poll() == UID4
    chip.fail_transfers(None)
    with caplog.at_level(logging.WARNING):
        assert polls(reader, 10) == [None] * 10
    assert not reader.healthy
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Input/output error" in warnings[0].getMessage()
    assert reader.present == {UID4}  # failed polls say nothing about the card
    chip.stop_failing()
    field.present(UID7)
    assert polls(reader, 2) == [UID7, None]
    assert reader.healthy
    assert reader.present == {UID4, UID7}


@pytest.mark.parametrize("reads_as", [0x00, 0xFF])
def test_dead_chip_is_survived_and_reinitialised_when_back(reader, field, chip, caplog, reads_as):
    field.present(UID4)
    assert reader.poll() == UID4
    chip.stop_answering(reads_as)
    with caplog.at_level(logging.WARNING):
        assert polls(reader, 10) == [None] * 10
    assert not reader.healthy
    assert any("not answering" in record.getMessage() for record in caplog.records)
    chip.resume(power_cycled=True)  # registers back to reset values: antenna off
    field.present(UID7)
    with caplog.at_level(logging.INFO):
        assert UID7 in polls(reader, 2)
    assert reader.healthy
    assert any("working again" in record.getMessage() for record in caplog.records)
    assert reader.present == {UID4, UID7}  # the card that stayed is not a new tap


def test_card_removed_during_outage_is_gone_after_recovery(reader, field, chip):
    field.present(UID4)
    reader.poll()
    chip.stop_answering()
    polls(reader, 5)
    field.remove(UID4)
    chip.resume()
    events = [event for _ in range(4) for event in reader.poll_events()]
    assert events == [TagEvent(GONE, UID4)]


def test_reader_notices_reset_chip_without_a_fault(reader, field, chip):
    reader.poll()
    chip.reset()  # e.g. a brown-out: answers fine, but antenna off and timer unset
    field.present(UID4)
    assert UID4 in polls(reader, 3)


def test_idle_poll_costs_at_least_20_times_less_than_simple_mfrc522(reader, simple, chip):
    reader.poll()
    before = chip.transfers
    polls(reader, 100)
    ours = (chip.transfers - before) / 100
    before = chip.transfers
    for _ in range(3):
        assert simple.read_id_no_block() is None
    library = (chip.transfers - before) / 3
    assert ours <= 100
    assert library >= 2000
    assert library / ours >= 20


def test_card_noticed_within_100_ms_in_the_readers_own_loop(reader, field, clock):
    latencies = []
    for offset in (0.0, 0.013, 0.029, 0.047, 0.049, 0.071, 0.099):
        uid = bytes([0x10, 0x20, 0x30, len(latencies)])
        present_at = clock() + 0.2 + offset
        clock.at(present_at, lambda uid=uid: field.present(uid))
        for event in reader.watch():
            if event == TagEvent(TAP, uid):
                latencies.append(clock() - present_at)
                break
        field.remove(uid)
    assert reader.poll_interval == 0.05
    assert max(latencies) <= 0.1


def test_poll_after_close_raises(reader):
    reader.close()
    reader.close()
    assert reader.closed
    assert "closed" in repr(reader)
    with pytest.raises(ReaderClosed):
        reader.poll()


def test_context_manager_closes_the_spi(chip, clock):
    with make_reader("emulated", chip=chip, sleep=clock.sleep, clock=clock)[0] as reader:
        spi = reader.device.spi
        assert reader.poll() is None
    assert reader.closed
    with pytest.raises(OSError):
        spi.xfer2([0xEE, 0])


def test_chip_with_unknown_version_is_not_trusted(clock):
    chip = Mfrc522Chip(version=0x00, clock=clock)
    reader, field = make_reader("emulated", chip=chip, sleep=clock.sleep, clock=clock)
    field.present(UID4)
    assert polls(reader, 3) == [None] * 3
    assert not reader.healthy

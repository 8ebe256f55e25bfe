import errno

import pytest

from kiosk.hardware.rfid import EmulatedSpi, plugged
from kiosk.hardware.rfid import registers as r
from kiosk.hardware.rfid.crc import append_crc


def read(spi, register):
    return spi.xfer2([((register << 1) & 0x7E) | 0x80, 0])[1]


def write(spi, register, value):
    spi.xfer2([(register << 1) & 0x7E, value])


@pytest.fixture
def spi(chip):
    return EmulatedSpi(chip)


def start_transceive(spi, data, last_bits=0):
    write(spi, r.COMMAND, r.CMD_IDLE)
    write(spi, r.COM_IRQ, 0x7F)
    write(spi, r.FIFO_LEVEL, r.FIFO_FLUSH)
    spi.xfer2([(r.FIFO_DATA << 1) & 0x7E, *data])
    write(spi, r.COMMAND, r.CMD_TRANSCEIVE)
    write(spi, r.BIT_FRAMING, 0x80 | last_bits)


def antenna_on(spi):
    write(spi, r.T_MODE, 0x8D)
    write(spi, r.T_PRESCALER, 0x3E)
    write(spi, r.T_RELOAD_L, 30)
    write(spi, r.TX_CONTROL, 0x83)


def test_version_and_reset_values(spi):
    assert read(spi, r.VERSION) == 0x92
    assert read(spi, r.TX_CONTROL) == 0x80
    assert read(spi, r.MODE) == 0x3F
    assert read(spi, r.COM_IRQ) == 0x14


def test_fifo_burst_write_level_read_and_flush(spi):
    spi.xfer2([(r.FIFO_DATA << 1) & 0x7E, 1, 2, 3])
    assert read(spi, r.FIFO_LEVEL) == 3
    assert spi.xfer2([0x80 | (r.FIFO_DATA << 1)] * 3 + [0])[1:] == [1, 2, 3]
    spi.xfer2([(r.FIFO_DATA << 1) & 0x7E, 4, 5])
    write(spi, r.FIFO_LEVEL, r.FIFO_FLUSH)
    assert read(spi, r.FIFO_LEVEL) == 0


def test_fifo_overflow_sets_buffer_ovfl(spi):
    spi.xfer2([(r.FIFO_DATA << 1) & 0x7E] + [0xAA] * 65)
    assert read(spi, r.FIFO_LEVEL) == 64
    assert read(spi, r.ERROR) & r.ERR_BUFFER_OVFL


def test_com_irq_set1_bit_sets_or_clears_marked_bits(spi):
    write(spi, r.COM_IRQ, 0x7F)
    assert read(spi, r.COM_IRQ) == 0
    write(spi, r.COM_IRQ, 0x80 | r.IRQ_RX | r.IRQ_TIMER)
    assert read(spi, r.COM_IRQ) == r.IRQ_RX | r.IRQ_TIMER
    write(spi, r.COM_IRQ, r.IRQ_RX)
    assert read(spi, r.COM_IRQ) == r.IRQ_TIMER


def test_calc_crc_gives_crc_a_in_crc_result_reg(spi):
    write(spi, r.MODE, 0x3D)  # CRCPreset 01: 0x6363, as for ISO 14443A (reset value gives 0xFFFF)
    spi.xfer2([(r.FIFO_DATA << 1) & 0x7E, 0x50, 0x00])
    write(spi, r.COMMAND, r.CMD_CALC_CRC)
    assert read(spi, r.DIV_IRQ) & r.DIV_CRC
    assert (read(spi, r.CRC_RESULT_L), read(spi, r.CRC_RESULT_H)) == (0x57, 0xCD)


def test_soft_reset_restores_registers_and_drops_the_field(spi, field):
    antenna_on(spi)
    field.present("deadbeef")
    assert field.powered
    write(spi, r.COMMAND, r.CMD_SOFT_RESET)
    assert read(spi, r.T_MODE) == 0x00
    assert read(spi, r.TX_CONTROL) == 0x80
    assert not field.powered


def test_transceive_to_empty_field_times_out_by_the_timer(spi, clock):
    antenna_on(spi)  # 31 ticks of ~0.5 ms: ~15.5 ms
    start_transceive(spi, [0x26], last_bits=7)
    irq = read(spi, r.COM_IRQ)
    assert irq & r.IRQ_TX and not irq & (r.IRQ_RX | r.IRQ_TIMER)
    assert read(spi, r.STATUS1) & r.STATUS1_T_RUNNING
    clock.sleep(0.016)
    irq = read(spi, r.COM_IRQ)
    assert irq & r.IRQ_TIMER and not irq & (r.IRQ_RX | r.IRQ_IDLE)


def test_reqa_gets_atqa_with_rx_irq_and_16_bits(spi, field):
    antenna_on(spi)
    field.present("04a1b2c3d4e5f6")
    start_transceive(spi, [0x26], last_bits=7)
    assert read(spi, r.COM_IRQ) & r.IRQ_RX
    assert read(spi, r.FIFO_LEVEL) == 2
    assert read(spi, r.CONTROL) & 0x07 == 0
    assert [read(spi, r.FIFO_DATA) for _ in range(2)] == [0x44, 0x00]


def test_two_cards_collide_in_anticollision(spi, field):
    antenna_on(spi)
    field.present("deadbeef")
    field.present("deadbeff")  # differs only in bit 4 of the 4th byte: bit 29 on air
    start_transceive(spi, [0x26], last_bits=7)
    assert read(spi, r.ERROR) == 0  # identical ATQAs add up without a collision
    write(spi, r.BIT_FRAMING, 0x00)
    start_transceive(spi, [0x93, 0x20])
    assert read(spi, r.COM_IRQ) & (r.IRQ_RX | r.IRQ_ERR) == r.IRQ_RX | r.IRQ_ERR
    assert read(spi, r.ERROR) & r.ERR_COLL
    assert read(spi, r.COLL) & 0x3F == 29  # first collision at bit 29, CollPosNotValid clear


def test_no_answer_with_antenna_off(spi, field):
    field.present("deadbeef")
    write(spi, r.T_MODE, 0x8D)
    start_transceive(spi, [0x26], last_bits=7)
    assert not read(spi, r.COM_IRQ) & r.IRQ_RX


def test_transfers_are_counted_on_chip_and_handle(chip, spi):
    before = chip.transfers
    read(spi, r.VERSION)
    write(spi, r.MODE, 0x3D)
    assert chip.transfers - before == 2
    assert spi.transfers == 2


def test_dead_chip_reads_constant_and_ignores_writes(chip, spi):
    chip.stop_answering(0xFF)
    assert read(spi, r.VERSION) == 0xFF
    write(spi, r.MODE, 0x00)
    chip.resume(power_cycled=False)
    assert read(spi, r.MODE) == 0x3F


def test_injected_spi_errors(chip, spi):
    chip.fail_transfers(2)
    for _ in range(2):
        with pytest.raises(OSError) as caught:
            read(spi, r.VERSION)
        assert caught.value.errno == errno.EIO
    assert read(spi, r.VERSION) == 0x92


def test_after_transfers_runs_action_once(chip, spi):
    calls = []
    chip.after_transfers(2, lambda: calls.append(chip.transfers))
    for _ in range(4):
        read(spi, r.VERSION)
    assert calls == [2]


def test_spi_open_finds_plugged_chip_or_fails_like_a_missing_device(chip):
    spi = EmulatedSpi()
    with pytest.raises(FileNotFoundError):
        spi.open(0, 1)
    with plugged(chip, 0, 1):
        spi.open(0, 1)
    assert read(spi, r.VERSION) == 0x92
    spi.close()
    with pytest.raises(OSError):
        read(spi, r.VERSION)


def test_transmit_crc_by_chip_when_tx_crc_enabled(spi, field):
    antenna_on(spi)
    field.present("deadbeef")
    start_transceive(spi, [0x26], last_bits=7)
    write(spi, r.BIT_FRAMING, 0)
    start_transceive(spi, [0x93, 0x20])
    write(spi, r.TX_MODE, 0x80)
    write(spi, r.RX_MODE, 0x80)
    start_transceive(spi, [0x93, 0x70, 0xDE, 0xAD, 0xBE, 0xEF, 0xDE ^ 0xAD ^ 0xBE ^ 0xEF])
    assert read(spi, r.FIFO_LEVEL) == 1  # SAK, its CRC checked and stripped by the chip
    assert read(spi, r.FIFO_DATA) == 0x08
    assert read(spi, r.ERROR) == 0


def test_chip_repr_mentions_state(chip):
    chip.stop_answering()
    assert "dead" in repr(chip)
    assert append_crc(b"") == b"\x63\x63"

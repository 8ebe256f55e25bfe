import itertools

from firmware.host import Board, load_board


def rig(values):
    source = itertools.cycle(values)
    board = Board(adc={26: lambda: next(source), 4: lambda: 0}, powered_by={26: 22})
    main = load_board("pico", board)
    return board, main.sampling, board.machine.Pin(22, board.machine.Pin.OUT, value=0), \
        board.machine.ADC(26)


def test_median_picks_middle_and_rejects_a_spike():
    _, sampling, _, _ = rig([0])
    assert sampling.median([3, 1, 2]) == 2
    assert sampling.median([30000, 30010, 65535, 29990, 30005]) == 30005
    assert sampling.median([4, 1, 3, 2]) == 2


def test_measure_rejects_spikes_both_ways():
    board, sampling, power, adc = rig([30000, 65535, 30002, 0, 30001, 30003, 29999, 30004, 30001])
    raw, reason = sampling.measure(power, adc, settle_ms=500, count=9)
    assert (raw, reason) == (30001, None)


def test_measure_powers_sensor_only_while_sampling_and_settles_first():
    board, sampling, power, adc = rig([30000])
    sampling.measure(power, adc, settle_ms=500, count=5, gap_ms=5)
    pins = [entry for entry in board.log if entry[1] == "pin"]
    reads = [entry for entry in board.log if entry[1] == "adc"]
    assert [p[3] for p in pins] == [0, 1, 0]
    on_at, off_at = pins[1][0], pins[2][0]
    assert len(reads) == 5
    assert all(r[3] == 30000 for r in reads)
    assert all(on_at + 500 <= r[0] <= off_at for r in reads)
    assert board.pin_value(22) == 0


def test_unpowered_sensor_reads_as_stuck_low():
    # Guards the fake itself: if firmware forgot to power the sensor it would see zeros.
    board, sampling, power, adc = rig([30000])
    assert adc.read_u16() == 0


def test_fault_reasons():
    _, sampling, _, _ = rig([0])
    assert sampling.fault_reason([0] * 9) == "stuck_low"
    assert sampling.fault_reason([65535] * 9) == "stuck_high"
    assert sampling.fault_reason([300, 120, 80, 500, 200]) == "stuck_low"
    assert sampling.fault_reason([65535, 65535, 65535, 30000, 30000]) == "stuck_high"
    assert sampling.fault_reason([0, 30000, 30001, 65535, 30002]) is None
    assert sampling.fault_reason([21000]) is None and sampling.fault_reason([52000]) is None

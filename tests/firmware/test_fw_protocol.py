import json

from hypothesis import given, strategies as st

from firmware.host.loader import FIRMWARE_DIR

READING = '{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}*17831df0'
BOOT = '{"v":1,"node":"bed-1","event":"boot","fw":"1.0.0"}*7139eaaa'


def test_crc_of_design_vectors(proto):
    p = proto
    assert p.frame('{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}') == READING + "\n"
    assert p.frame('{"v":1,"node":"bed-1","event":"boot","fw":"1.0.0"}') == BOOT + "\n"


def test_encoders_produce_design_vectors_byte_for_byte(proto):
    p = proto
    assert p.reading("bed-1", 42, 41230, 12.5) == READING + "\n"
    assert p.event("bed-1", "boot", "fw", "1.0.0") == BOOT + "\n"


def test_design_vectors_parse(proto):
    p = proto
    assert p.parse(READING) == {"v": 1, "node": "bed-1", "seq": 42, "raw": 41230, "t": 12.5}
    assert p.parse(BOOT.encode() + b"\n")["fw"] == "1.0.0"


def test_reading_without_temperature_leaves_t_out(proto):
    line = proto.reading("bed-1", 1, 30000)
    assert '"t"' not in line
    assert proto.parse(line) == {"v": 1, "node": "bed-1", "seq": 1, "raw": 30000}


def test_fault_event(proto):
    p = proto
    assert p.parse(p.event("bed-1", "fault", "reason", "stuck_low")) == {
        "v": 1, "node": "bed-1", "event": "fault", "reason": "stuck_low"}


def test_parse_rejects_bad_lines(proto):
    p = proto
    assert p.parse(READING.replace("41230", "41231")) is None
    assert p.parse(READING[:-1] + "1") is None
    assert p.parse("no star here") is None
    assert p.parse("[1]*" + p.crc_hex(b"[1]")) is None
    assert p.parse("{bad*" + p.crc_hex(b"{bad")) is None
    assert p.parse(b"\xff\xfe*00000000") is None


@given(seq=st.integers(0, 2**31), raw=st.integers(0, 65535),
       t=st.one_of(st.none(), st.floats(-40, 85, allow_nan=False).map(lambda x: round(x, 1))),
       node=st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True))
def test_reading_round_trips_and_matches_binascii(proto, seq, raw, t, node):
    import binascii
    line = proto.reading(node, seq, raw, t)
    text, crc = line.rstrip("\n").rsplit("*", 1)
    assert crc == "%08x" % (binascii.crc32(text.encode()) & 0xffffffff)
    expected = {"v": 1, "node": node, "seq": seq, "raw": raw}
    if t is not None:
        expected["t"] = t
    assert json.loads(text) == expected
    assert proto.parse(line) == expected


def test_firmware_dir_layout():
    import os
    for rel in ("common/protocol.py", "common/sampling.py", "pico/main.py", "pico/config.py",
                "esp32/main.py", "esp32/config.py", "README.md"):
        assert os.path.isfile(os.path.join(FIRMWARE_DIR, rel)), rel

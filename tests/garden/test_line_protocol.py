"""The serial line gate: exact vectors, every way a line can be wrong, and a fuzz run."""

from __future__ import annotations

import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.errors import ProtocolError
from kiosk.garden.line_protocol import NodeEvent, Reading, encode_line, parse_line, parse_payload

VECTORS = [
    (b'{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}*17831df0\n', Reading("bed-1", 42, 41230, 12.5)),
    (b'{"v":1,"node":"bed-1","event":"boot","fw":"1.0.0"}*7139eaaa\n', NodeEvent("bed-1", "boot", fw="1.0.0")),
]


@pytest.mark.parametrize("line, expected", VECTORS)
def test_design_test_vectors(line, expected):
    assert parse_line(line) == expected


def test_encode_line_reproduces_the_reading_vector():
    line = encode_line({"v": 1, "node": "bed-1", "seq": 42, "raw": 41230, "t": 12.5})
    assert line == VECTORS[0][0]


@pytest.mark.parametrize("line, why", [
    (b"", "empty"),
    (b'{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}*17831df1', "CRC does not match"),
    (b'{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}*17831DF0', "lowercase"),
    (b'{"v":1,"node":"bed-1","seq":42,"raw":41230,"t":12.5}', "no '*CRC'"),
    (encode_line({"v": 2, "node": "bed-1", "seq": 1, "raw": 1}), "version"),
    (encode_line({"v": 1, "node": "Bed 1!", "seq": 1, "raw": 1}), "node"),
    (encode_line({"v": 1, "node": "bed-1", "raw": 1}), "seq is missing"),
    (encode_line({"v": 1, "node": "bed-1", "seq": 1}), "raw is missing"),
    (encode_line({"v": 1, "node": "bed-1", "seq": 1, "raw": 70000}), "raw must be"),
    (encode_line({"v": 1, "node": "bed-1", "seq": 1.5, "raw": 7}), "seq must be"),
    (encode_line({"v": 1, "node": "bed-1", "seq": True, "raw": 7}), "seq must be"),
    (encode_line({"v": 1, "node": "bed-1", "seq": 1, "raw": 7, "t": "warm"}), "temperature"),
    (encode_line([1, 2]), "not a JSON object"),
    (b"not json*" + b"%08x" % 0, "CRC"),
    (b"{" * 600 + b"*00000000", "longer than"),
])
def test_bad_lines_are_refused_with_the_reason(line, why):
    with pytest.raises(ProtocolError, match=re.escape(why)):
        parse_line(line)


def test_non_json_with_a_valid_crc_is_refused():
    import binascii
    body = b"hello"
    with pytest.raises(ProtocolError, match="not JSON"):
        parse_line(body + b"*" + (b"%08x" % (binascii.crc32(body) & 0xFFFFFFFF)))


def test_an_esp32_reading_without_timestamp_is_a_reading():
    reading, ts = parse_payload({"node": "bed-1", "seq": 3, "raw": 30000})
    assert reading == Reading("bed-1", 3, 30000) and ts is None


def mutate(rng: random.Random, line: bytes) -> bytes:
    data = bytearray(line)
    for _ in range(rng.randrange(1, 4)):
        choice = rng.randrange(4)
        if choice == 0 and data:
            data[rng.randrange(len(data))] = rng.randrange(256)
        elif choice == 1 and data:
            del data[rng.randrange(len(data))]
        elif choice == 2:
            data.insert(rng.randrange(len(data) + 1), rng.randrange(256))
        else:
            cut = rng.randrange(len(data) + 1)
            data = data[:cut] + data[cut:][::-1]
    return bytes(data)


def test_100000_random_and_mutated_lines_never_crash_the_parser():
    rng = random.Random(20261125)
    seeds = [v[0] for v in VECTORS] + [encode_line({"v": 1, "node": "bed-2", "seq": i, "raw": 20000 + i})
                                       for i in range(20)]
    accepted = refused = 0
    for i in range(100_000):
        if i % 4 == 0:
            line = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 120)))
        else:
            line = mutate(rng, rng.choice(seeds))
        try:
            result = parse_line(line)
        except ProtocolError:
            refused += 1
        else:
            accepted += 1
            assert isinstance(result, (Reading, NodeEvent))
    # Mutations almost always break the CRC; the few accepted lines are genuinely valid.
    assert refused > 99_000 and accepted + refused == 100_000


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                           lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.text(max_size=6), children, max_size=4), max_leaves=12)


@settings(max_examples=3000, deadline=None)
@given(st.dictionaries(st.sampled_from(["v", "node", "seq", "raw", "t", "event", "fw", "reason", "x"]),
                       json_values, max_size=7))
def test_any_json_object_with_a_valid_crc_is_a_reading_an_event_or_refused(message):
    try:
        line = encode_line(message)
    except ValueError:          # NaN and friends cannot be encoded as JSON
        return
    try:
        result = parse_line(line)
    except ProtocolError:
        return
    assert isinstance(result, (Reading, NodeEvent))
    assert json.loads(json.dumps(result.payload("2026-11-25T10:00:00.000Z")))["node"] == message["node"]

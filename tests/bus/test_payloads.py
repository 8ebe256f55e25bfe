"""The station's one rule of what JSON it accepts: every payload and every sensor line is read by it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.bus import Message
from kiosk.bus.payloads import MAX_DEPTH, MAX_INT, MIN_INT, decode_json
from kiosk.errors import ProtocolError
from kiosk.garden.line_protocol import crc_of, encode_line, parse_line


@pytest.mark.parametrize("payload, why", [
    (b"[" * 5000, "nested"),                                        # RecursionError before
    (b"[" * 900 + b"]" * 900, "nested"),                            # parses in Python, useless to us
    (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested"),
    (b'{"a":' * 40 + b"1" + b"}" * 40, "nested"),
    (b"NaN", "NaN"),
    (b'{"raw": Infinity}', "Infinity"),
    (b'{"raw": -Infinity}', "Infinity"),
    (b'{"t": 1e400}', "out of range"),                              # json makes it inf
    (b'{"book": %d}' % 2**70, "out of range"),                      # SQLite: OverflowError
    (b'{"book": %d}' % (MAX_INT + 1), "out of range"),
    (b'{"n": 1' + b"0" * 5000 + b"}", "not JSON"),                  # Python's own limit: 4,300 digits
    (b'{"title": "\\ud800"}', "surrogate"),                         # cannot be encoded as UTF-8
    (b'{"\\udfff": 1}', "surrogate"),
    (b"\xff\xfe{\x00}\x00", "UTF-8"),                               # json.loads would read it as UTF-16
    ('{"a": 1}'.encode("utf-16"), "UTF-8"),
    (b"\xc3\x28", "UTF-8"),
    (b"", "not JSON"),
    (b"{", "not JSON"),
    (b"\xef\xbb\xbf{}", "not JSON"),                                # a BOM is not JSON either
])
def test_what_the_station_refuses(payload, why):
    with pytest.raises(ProtocolError, match=why):
        Message("batenbrock/test-1/garden/bed-1/reading", payload).json()


def test_what_the_station_accepts():
    nested = json.dumps([[[[{"a": [1]}]]]])
    assert Message("t", nested.encode()).json() == [[[[{"a": [1]}]]]]
    assert decode_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert decode_json(json.dumps({"min": MIN_INT, "max": MAX_INT, "x": 1.5e300})) == \
        {"min": MIN_INT, "max": MAX_INT, "x": 1.5e300}
    assert decode_json('{"title": "Grüffelo \\ud83d\\ude00"}') == {"title": "Grüffelo 😀"}   # a pair is fine


def test_a_sensor_line_follows_the_same_rule():
    body = b'{"v":1,"node":"bed-1","seq":1,"raw":1,"t":1e999}'
    with pytest.raises(ProtocolError, match="out of range"):
        parse_line(body + b"*" + crc_of(body).encode())
    with pytest.raises(ProtocolError, match="surrogate"):
        parse_line(encode_line({"v": 1, "node": "bed-1", "event": "boot", "fw": "\ud800"}))
    deep: list = [1]
    for _ in range(MAX_DEPTH):
        deep = [deep]
    with pytest.raises(ProtocolError, match="nested"):
        parse_line(encode_line({"v": 1, "node": "bed-1", "seq": 1, "raw": 1, "x": deep}))


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_bytes_are_json_or_a_protocol_error(payload):
    try:
        value = decode_json(payload)
    except ProtocolError:
        return
    json.dumps(value, allow_nan=False).encode("utf-8")      # whatever passes can be stored and sent on

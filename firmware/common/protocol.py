"""Serial line protocol: `JSON*CRC\n` (see DESIGN.md). MicroPython and CPython.

JSON is built from ordered (key, value) pairs rather than a dict: MicroPython dicts do not keep
insertion order and its json.dumps puts spaces after ':' and ','. Building it here makes the
bytes identical on the board and on the host, so the DESIGN.md test vectors hold on both.
"""
import binascii
import json

VERSION = 1


def to_json(pairs):
    """Compact JSON object from a sequence of (key, value) pairs; None values are left out."""
    parts = []
    for key, value in pairs:
        if value is not None:
            parts.append(json.dumps(key) + ":" + json.dumps(value))
    return "{" + ",".join(parts) + "}"


def crc_hex(data):
    """CRC-32 of bytes as 8 lowercase hex digits."""
    return "%08x" % (binascii.crc32(data) & 0xffffffff)


def frame(text):
    """One protocol line (str, ending in newline) for an already-encoded JSON text."""
    return text + "*" + crc_hex(text.encode()) + "\n"


def reading(node, seq, raw, t=None):
    return frame(to_json((("v", VERSION), ("node", node), ("seq", seq), ("raw", raw), ("t", t))))


def event(node, name, key=None, value=None):
    """Event line, e.g. event(node, "boot", "fw", "1.0.0") or event(node, "fault", "reason", r)."""
    return frame(to_json((("v", VERSION), ("node", node), ("event", name), (key, value))))


def parse(line):
    """Decode one line (str or bytes) into a dict; None if the CRC, JSON or framing is bad."""
    if isinstance(line, bytes):
        try:
            line = line.decode()
        except UnicodeError:
            return None
    line = line.strip()
    star = line.rfind("*")
    if star < 0:
        return None
    text = line[:star]
    if crc_hex(text.encode()) != line[star + 1:]:
        return None
    try:
        obj = json.loads(text)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None

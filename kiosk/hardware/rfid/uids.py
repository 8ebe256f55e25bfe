"""Tag UIDs: parsing what people and MQTT send, and splitting them into cascade levels."""

from __future__ import annotations

from kiosk.errors import InvalidUid

CASCADE_TAG = 0x88
UID_LENGTHS = (4, 7, 10)


def parse_uid(value: bytes | bytearray | str) -> bytes:
    """UID bytes from bytes or hex text ("04a1b2c3", "04:A1:B2:C3"). Raises InvalidUid."""
    if isinstance(value, str):
        text = value.strip().replace(":", "").replace("-", "").replace(" ", "")
        try:
            uid = bytes.fromhex(text)
        except ValueError:
            raise InvalidUid(f"tag UID {value!r} is not hexadecimal") from None
    elif isinstance(value, (bytes, bytearray)):
        uid = bytes(value)
    else:
        raise InvalidUid(f"tag UID must be bytes or hex text, not {type(value).__name__}")
    if len(uid) not in UID_LENGTHS:
        raise InvalidUid(f"tag UID {uid.hex()!r} has {len(uid)} bytes; ISO 14443-3 UIDs have 4, 7 or 10")
    if len(uid) > 4 and uid[0] == CASCADE_TAG:
        raise InvalidUid(f"tag UID {uid.hex()!r} starts with the cascade tag 0x88, which no UID may")
    return uid


def cascade_parts(uid: bytes) -> list[bytes]:
    """The 4-byte UID part sent at each cascade level (without BCC): 0x88 marks 'more to come'."""
    if len(uid) == 4:
        return [uid]
    if len(uid) == 7:
        return [bytes([CASCADE_TAG]) + uid[:3], uid[3:]]
    return [bytes([CASCADE_TAG]) + uid[:3], bytes([CASCADE_TAG]) + uid[3:6], uid[6:]]


def uid_from_parts(parts: list[bytes]) -> bytes:
    """Join the UID parts read at each cascade level back into the UID."""
    return b"".join(part[1:4] for part in parts[:-1]) + parts[-1][:4]

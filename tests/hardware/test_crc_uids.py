import pytest

from kiosk.errors import KioskError
from kiosk.hardware.rfid import InvalidUid, parse_uid
from kiosk.hardware.rfid.crc import append_crc, bcc, check_crc, crc_a
from kiosk.hardware.rfid.uids import cascade_parts, uid_from_parts


def test_crc_a_iso14443_vectors():
    assert crc_a(b"\x00\x00") == 0x1EA0
    assert crc_a(b"\x12\x34") == 0xCF26  # sent as 26 CF
    assert append_crc(b"\x50\x00") == b"\x50\x00\x57\xcd"


def test_check_crc():
    assert check_crc(append_crc(b"\x30\x04"))
    assert not check_crc(b"\x30\x04\x00\x00")


def test_bcc():
    assert bcc(b"\xde\xad\xbe\xef") == 0xDE ^ 0xAD ^ 0xBE ^ 0xEF


def test_parse_uid_accepts_hex_with_separators():
    assert parse_uid("04:A1:b2:c3") == b"\x04\xa1\xb2\xc3"
    assert parse_uid("04-a1-b2-c3-d4-e5-f6") == bytes.fromhex("04a1b2c3d4e5f6")
    assert parse_uid(b"\x01\x02\x03\x04") == b"\x01\x02\x03\x04"


@pytest.mark.parametrize("bad", ["zz11", "0102", "0102030405", "88a1b2c3d4e5f6", 1234])
def test_parse_uid_rejects(bad):
    with pytest.raises(InvalidUid) as caught:
        parse_uid(bad)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, KioskError)


def test_cascade_parts_round_trip():
    uid = bytes.fromhex("04a1b2c3d4e5f6")
    parts = cascade_parts(uid)
    assert parts == [bytes.fromhex("8804a1b2"), bytes.fromhex("c3d4e5f6")]
    assert uid_from_parts(parts) == uid
    assert cascade_parts(b"\x01\x02\x03\x04") == [b"\x01\x02\x03\x04"]
    ten = bytes(range(1, 11))
    assert uid_from_parts(cascade_parts(ten)) == ten

"""The real mfrc522 library, unchanged, on the emulated chip."""

from kiosk.hardware.rfid import MifareClassic1K
from kiosk.hardware.rfid.crc import append_crc

UID4 = bytes.fromhex("deadbeef")
UID7 = bytes.fromhex("04a1b2c3d4e5f6")
KEY = [0xFF] * 6


def select_classic(lib):
    assert lib.MFRC522_Request(lib.PICC_REQIDL)[0] == lib.MI_OK
    status, uid = lib.MFRC522_Anticoll()
    assert status == lib.MI_OK
    assert lib.MFRC522_SelectTag(uid) == 0x08
    return uid


def test_request_and_anticoll_read_a_4_byte_uid(lib, field):
    field.present(UID4)
    status, bits = lib.MFRC522_Request(lib.PICC_REQIDL)
    assert (status, bits) == (lib.MI_OK, 16)
    status, uid = lib.MFRC522_Anticoll()
    assert status == lib.MI_OK
    assert uid == list(UID4) + [0xDE ^ 0xAD ^ 0xBE ^ 0xEF]


def test_library_anticoll_gives_only_cascade_level_1_of_a_7_byte_uid(lib, field):
    field.present(UID7)
    assert lib.MFRC522_Request(lib.PICC_REQIDL)[0] == lib.MI_OK
    status, uid = lib.MFRC522_Anticoll()
    assert status == lib.MI_OK
    assert uid[:4] == [0x88, 0x04, 0xA1, 0xB2]
    assert lib.MFRC522_SelectTag(uid) == 0x04  # SAK: cascade bit, UID not complete


def test_auth_read_write_classic(lib, field):
    card = field.present(MifareClassic1K(UID4))
    card.write_block(4, b"Lesefuchs 17\x00\x00\x00\x00")
    uid = select_classic(lib)
    assert lib.MFRC522_Auth(lib.PICC_AUTHENT1A, 7, KEY, uid) == lib.MI_OK
    assert lib.Read_MFRC522(lib.Status2Reg) & 0x08
    assert bytes(lib.MFRC522_Read(4)) == b"Lesefuchs 17\x00\x00\x00\x00"
    lib.MFRC522_Write(5, list(b"0123456789abcdef"))
    assert card.read_block(5) == b"0123456789abcdef"
    assert bytes(lib.MFRC522_Read(5)) == b"0123456789abcdef"
    assert bytes(lib.MFRC522_Read(7))[:6] == bytes(6)  # key A never reads back
    lib.MFRC522_StopCrypto1()
    assert not lib.Read_MFRC522(lib.Status2Reg) & 0x08


def test_auth_with_wrong_key_fails_and_read_is_refused(lib, field):
    field.present(UID4)
    uid = select_classic(lib)
    assert lib.MFRC522_Auth(lib.PICC_AUTHENT1A, 7, [0] * 6, uid) == lib.MI_ERR
    assert not lib.Read_MFRC522(lib.Status2Reg) & 0x08


def test_read_without_auth_is_refused(lib, field):
    field.present(UID4)
    select_classic(lib)
    assert lib.MFRC522_Read(4) is None


def test_block_0_is_read_only(lib, field):
    card = field.present(UID4)
    uid = select_classic(lib)
    assert lib.MFRC522_Auth(lib.PICC_AUTHENT1A, 0, KEY, uid) == lib.MI_OK
    before = card.read_block(0)
    lib.MFRC522_Write(0, [0] * 16)
    assert card.read_block(0) == before
    assert before[:5] == UID4 + bytes([0xDE ^ 0xAD ^ 0xBE ^ 0xEF])


def test_reqa_does_not_wake_a_halted_card_but_wupa_does(lib, field):
    field.present(UID4)
    select_classic(lib)
    lib.MFRC522_ToCard(lib.PCD_TRANSCEIVE, list(append_crc(b"\x50\x00")))  # HLTA: no answer
    assert field.card(UID4).state == "HALT"
    assert lib.MFRC522_Request(lib.PICC_REQIDL)[0] == lib.MI_ERR
    assert lib.MFRC522_Request(lib.PICC_REQALL) == (lib.MI_OK, 16)
    assert lib.MFRC522_Anticoll()[0] == lib.MI_OK


def test_two_cards_answer_reqa_but_anticollision_reports_an_error(lib, field):
    field.present("deadbeef")
    field.present("12345678")
    assert lib.MFRC522_Request(lib.PICC_REQIDL)[0] == lib.MI_OK
    status, _ = lib.MFRC522_Anticoll()
    assert status == lib.MI_ERR
    assert lib.Read_MFRC522(lib.ErrorReg) & 0x08  # CollErr


def test_simple_read_id_no_block(simple, field):
    assert simple.read_id_no_block() is None
    field.present(UID4)
    assert simple.read_id_no_block() == int.from_bytes(UID4 + bytes([0xDE ^ 0xAD ^ 0xBE ^ 0xEF]), "big")


def test_simple_write_then_read_round_trip(simple, field):
    card = field.present(UID4)
    uid_number, text = simple.write("Jim Knopf")
    assert text == "Jim Knopf"
    assert card.read_block(8) == b"Jim Knopf       "
    uid_number_read, text_read = simple.read()
    assert uid_number_read == uid_number
    assert text_read.rstrip() == "Jim Knopf"


def test_simple_empty_poll_spins_about_2000_transfers(simple):
    spi = simple.READER.spi
    before = spi.transfers
    assert simple.read_id_no_block() is None
    assert 2000 <= spi.transfers - before <= 2020

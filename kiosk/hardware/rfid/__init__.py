"""RFID hardware of the book booth: an MFRC522 reader on the `mfrc522` library, and an
emulated MFRC522 with a field of emulated cards that the same library runs on.

    reader, field = make_reader("emulated")      # or make_reader("mfrc522") on a Pi
    field.present("04a1b2c3d4e5f6")
    uid = reader.poll()                          # b"\\x04\\xa1..." once, then None while it lies there
"""

from .cards import MifareClassic1K, Ntag213, Picc
from .emulator import EmulatedSpi, Mfrc522Chip, plugged
from kiosk.errors import ChipNotResponding, InvalidUid, ReaderClosed, ReaderUnavailable, RfidError, UnknownReaderKind
from .factory import KINDS, make_reader
from .field import RfidField
from .mfrc522_reader import Mfrc522Reader
from .reader import TagReader
from .taps import GONE, TAP, TagEvent, TapTracker
from .uids import parse_uid

__all__ = [
    "KINDS", "make_reader", "TagReader", "Mfrc522Reader", "TagEvent", "TapTracker", "TAP", "GONE",
    "Mfrc522Chip", "EmulatedSpi", "RfidField", "plugged", "Picc", "MifareClassic1K", "Ntag213",
    "parse_uid", "RfidError", "InvalidUid", "UnknownReaderKind", "ReaderUnavailable",
    "ChipNotResponding", "ReaderClosed",
]

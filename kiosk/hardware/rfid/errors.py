"""Errors of the RFID layer, under the station's `KioskError` root.

They live here until the lead folds them into `kiosk/errors.py`; each leaf also
inherits the matching built-in so callers can catch either.
"""

from __future__ import annotations

from kiosk.errors import KioskError


class RfidError(KioskError):
    """Root of every error the RFID layer raises on purpose."""


class InvalidUid(RfidError, ValueError):
    """A tag UID is not 4, 7 or 10 bytes, or not hexadecimal."""


class UnknownReaderKind(RfidError, ValueError):
    """`[booth] reader` names no reader this station knows."""


class ReaderUnavailable(RfidError, OSError):
    """The real reader cannot be used here: Pi-only modules missing or the SPI device cannot be opened."""


class ChipNotResponding(RfidError, OSError):
    """The MFRC522 answered with values no working chip gives (dead, unpowered or reset)."""


class ReaderClosed(RfidError, RuntimeError):
    """The reader was used after `close()`."""

"""Every error the station raises on purpose, in one tree.

`KioskError` is the root. The command line turns any `KioskError` into one clear
message and its `exit_code` (2; 3 for a device that may yet appear); anything else
is a bug and keeps its traceback.
"""


class KioskError(Exception):
    """Root of every error the station raises on purpose."""

    # 2: starting again cannot help (the units' RestartPreventExitStatus=2 stop there).
    exit_code = 2


class DeviceNotReady(KioskError, OSError):
    """A device that may still come (a display switched on after the Pi): systemd tries again."""

    exit_code = 3

    def __init__(self, device: str, problem: str, fix: str = ""):
        super().__init__(f"{device}: {problem}" + (f" — {fix}" if fix else ""))


class ConfigError(KioskError, ValueError):
    """station.toml (or a command-line value) is missing, malformed or impossible."""

    def __init__(self, key: str, problem: str, fix: str = ""):
        self.key = key
        self.problem = problem
        self.fix = fix
        message = f"{key}: {problem}" if key else problem
        if fix:
            message += f" — {fix}"
        super().__init__(message)


class StoreError(KioskError):
    """A database could not be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another process held the database's write lock for too long."""


class StoreFullError(StoreError):
    """The disk holding a database is full; the write changed nothing."""


class BusError(KioskError):
    """The MQTT broker could not be reached or refused us."""


class ProtocolError(KioskError, ValueError):
    """A message from a device or the bus does not follow its contract."""


class BadMessage(ProtocolError):
    """A message between services does not have the shape its contract names (the `messages` modules)."""


class NotFoundError(KioskError, LookupError):
    """A named thing (node, book, card, idea) does not exist."""


# --- the book booth: staff-facing mistakes; messages never contain a tag's UID ---------
class BadTag(ProtocolError):
    """A tag UID given by staff is not 4, 7 or 10 bytes of hexadecimal."""


class TagInUse(ProtocolError):
    """The tag is already registered (as a book or as a card)."""


class BadValue(ProtocolError):
    """A title, pseudonym, age group or command field is empty, too long or of the wrong kind."""


class PseudonymTaken(ProtocolError):
    """Another card already has this pseudonym."""


class UnknownCard(NotFoundError):
    """No card has this pseudonym."""


class UnknownBook(NotFoundError):
    """No book has this number."""


class BadImport(ProtocolError):
    """A CSV file of books has bad rows; nothing was imported."""


class KeyFileError(StoreError):
    """The booth's hashing key file cannot be created or read."""


# --- the RFID reader; each leaf also inherits the matching built-in ------------------
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


# --- residents' ideas ------------------------------------------------------------------

class IdeaRejected(KioskError, ValueError):
    """An idea was not stored; `reason` says why (the kiosk shows its own words for it)."""

    def __init__(self, reason: str, message: str = "", retry_after_s: float = 0.0):
        self.reason = reason
        self.retry_after_s = retry_after_s
        super().__init__(message or reason)


class ModerationError(KioskError, ValueError):
    """A moderation action that does not exist."""


# --- the library desk -------------------------------------------------------------------------
class BadIsbn(BadValue):
    """Typed or scanned text is not an ISBN: `kind` says why, for a face to word it in its language.

    kinds: "empty", "characters" (not digits), "length" (not 10 or 13 digits), "prefix" (13 digits
    that are no book: an EAN-13 of a book starts with 978 or 979), "checksum" (a digit is wrong).
    """

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


class SourceFailed(KioskError):
    """An outside web service (a book catalogue, a cover service) gave no usable answer in time:
    offline, slow, an error page, garbage, or far too much."""

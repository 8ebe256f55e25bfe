"""Errors of the book booth, under the station's one tree (`kiosk.errors`).

Each is a staff-facing mistake: `kiosk admin` prints it as one line and exits 2,
a staff command over MQTT answers {"ok": false, "error": ...}. Messages never
contain a tag's UID.
"""

from __future__ import annotations

from kiosk.errors import NotFoundError, ProtocolError, StoreError


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

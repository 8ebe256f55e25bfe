"""Marking words a person reads, in the domain modules that own them.

A domain says what went wrong in English message ids marked with `N_`; each face
translates them with its own catalogs (the kiosk's `_()`, the console's) or prints
them as they are (`kiosk admin`). So no face words an outcome itself.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message id for the catalogs without translating it here."""
    return message

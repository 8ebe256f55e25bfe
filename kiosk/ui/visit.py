"""What one passer-by's visit holds: forgotten on every idle reset."""

from __future__ import annotations

import os


def new_visit() -> str:
    """A random id for one visitor's visit (+1s count once per visit). 128 random bits as hex, like
    uuid4().hex; the uuid module is not imported because it costs milliseconds before the first frame."""
    return os.urandom(16).hex()


class Draft:
    """The idea being written."""

    def __init__(self) -> None:
        self.category = ""
        self.text = ""
        self.contact = ""
        self.consent = False
        self.error = ""

    def clear(self) -> None:
        self.__init__()

"""Every error the station raises on purpose, in one tree.

`KioskError` is the root. The command line turns any `KioskError` into one clear
message and exit code 2; anything else is a bug and keeps its traceback.
"""


class KioskError(Exception):
    """Root of every error the station raises on purpose."""


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


class BusError(KioskError):
    """The MQTT broker could not be reached or refused us."""


class ProtocolError(KioskError, ValueError):
    """A message from a device or the bus does not follow its contract."""


class NotFoundError(KioskError, LookupError):
    """A named thing (node, book, card, idea) does not exist."""

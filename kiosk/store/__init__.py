"""SQLite storage: the only place in the station that imports sqlite3."""

from kiosk.store.database import Database, Migration, Row, Store, snapshot
from sqlite3 import Connection

__all__ = ["Connection", "Database", "Migration", "Row", "Store", "snapshot"]

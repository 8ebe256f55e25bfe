"""Counting how the kiosk is used, without watching anyone: counters per day, nothing finer.

`Counting` (counting.py) is what the kiosk calls on a touch; `UsageStore` (store.py) keeps the
day's counters in DATA_DIR/usage.sqlite for the monthly report (kiosk/report).
"""

from kiosk.usage.counting import Counting
from kiosk.usage.store import UsageStore

__all__ = ["Counting", "UsageStore"]

"""Staff mode: the PIN pad (pin.py) and the staff screen (screen.py) with one module per tab."""

from kiosk.ui.screens.staff.pin import StaffPinScreen
from kiosk.ui.screens.staff.screen import StaffScreen

__all__ = ["StaffPinScreen", "StaffScreen"]

"""What a tap at the book booth does to the kiosk in the shop window."""

from __future__ import annotations

from kiosk.booth.messages import BoothEvent
from kiosk.ui.staff import is_staff_card_tap

SHOWN = ("checkout", "return", "denied", "session_start")   # events a child at the booth should see


def booth_action(event: BoothEvent, *, staff: bool, current: str, at_rest: bool) -> str | None:
    """One of:
    - "staff": a staff card was tapped: open staff mode;
    - "wake": brighten the screen, nothing else (staff mode is open);
    - "booth": brighten and show the booth screen (the kiosk is idle, or on home or the booth);
    - "toast": brighten and say it in a message over the visitor's screen;
    - None: nothing (staff mode already open for a staff card; an event nobody needs to see).
    """
    if is_staff_card_tap(event):
        return None if staff else "staff"
    if event.type not in SHOWN:
        return None
    if staff:
        return "wake"
    if current in ("home", "booth") or at_rest:
        return "booth"
    return "toast"

"""Staff commands to `kiosk garden` (acknowledge an alert, calibrate, ask for a history), for every face.

Each function returns the StaffRequest to send; the garden service answers it in
Garden.acknowledge / calibrate / history. A point or span that cannot be right is
refused here with BadValue, before anything is sent.
"""

from __future__ import annotations

from kiosk.errors import BadValue
from kiosk.garden.calibration import check_point
from kiosk.staff_requests import Outcome, StaffRequest
from kiosk.translation import N_

SILENT = N_("That did not work: the garden service does not answer.")
REFUSED = N_("The garden service did not accept that.")
ACKNOWLEDGED = N_("Thank you! The reminders stop until the bed's state changes.")
NO_ALERT = N_("There is no alert for this bed right now.")


def acknowledge(node: str) -> StaffRequest:
    """Staff saw the node's alert: no more reminders until its status changes.

    The garden answers {"active": True, "acknowledged": True}, or {"active": False} when
    there was no alert to acknowledge (it ended meanwhile); the outcome says which.
    """
    return StaffRequest("garden", "ack", {"node": _node(node)}, silent=SILENT, refused=REFUSED,
                        done=lambda reply: Outcome(True, ACKNOWLEDGED if reply.get("acknowledged") else NO_ALERT))


def calibrate(node: str, point: str) -> StaffRequest:
    """Take the node's newest reading as its "dry" or "wet" point; the outcome names the raw value."""
    return StaffRequest("garden", "calibrate", {"node": _node(node), "point": check_point(point)}, silent=SILENT, refused=REFUSED,
                        done=lambda reply: Outcome(True, N_("Saved: raw value {raw}."), {"raw": reply.get("raw", "?")}))


def history(node: str, span: str) -> StaffRequest:
    """The node's plot series over `span` (the reply is the series itself)."""
    if not isinstance(span, str) or not span:
        raise BadValue("say which span")
    return StaffRequest("garden", "history", {"node": _node(node), "span": span}, silent=SILENT, refused=REFUSED)


def _node(node: str) -> str:
    if not isinstance(node, str) or not node:
        raise BadValue("say which sensor node")
    return node

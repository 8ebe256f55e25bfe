"""What the desk prints from: the booth's books and overdue loans, read where they are.

On the booth's Pi, booth.sqlite is read through BoothStore (read only: the booth writes it).
Where the booth runs on a Pi of its own, the books are not here, but the overdue list is: the
booth keeps it (its first SUMMARY_OVERDUE_MAX) in its retained summary on the bus, as the
funders' report uses it (kiosk/report/figures.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from kiosk.booth.store import DB_FILE, SUMMARY_OVERDUE_MAX
from kiosk.errors import NotFoundError

AWAY = ("the booth's books are kept on the Pi the booth runs on (booth.sqlite is not in {data}); "
        "run this there")


@dataclass(frozen=True)
class Overdue:
    """Loans past their due date: book number, title, the card's pseudonym, due (ISO UTC)."""

    loans: list[dict]
    source: str              # "local" (booth.sqlite here) or "bus" (the booth's summary)
    partial: bool = False    # the summary carries only the first SUMMARY_OVERDUE_MAX


def booth_here(config) -> bool:
    return (Path(config.data_dir) / DB_FILE).exists()


def books(config) -> list[dict]:
    """BoothStore.shelf() of this Pi's booth; raises NotFoundError where the booth is elsewhere."""
    if not booth_here(config):
        raise NotFoundError(AWAY.format(data=config.data_dir))
    from kiosk.booth.store import BoothStore

    with BoothStore.open(config) as store:
        return store.shelf()


def overdue(config, summary=None, now: datetime | None = None) -> Overdue:
    """The overdue loans from booth.sqlite here, else from `summary` (kiosk.booth.messages.Summary).

    Raises NotFoundError when neither is at hand.
    """
    if booth_here(config):
        from kiosk.booth.store import BoothStore

        with BoothStore.open(config) as store:
            rows = store.open_loans(overdue_only=True, now=now or datetime.now(timezone.utc))
        return Overdue([{"book_id": r["book_id"], "title": r["title"], "card": r["card"], "due": r["due"]}
                        for r in rows], "local")
    if summary is None:
        raise NotFoundError(AWAY.format(data=config.data_dir) + ", or start the broker so the booth's summary "
                            "arrives")
    loans = [{"book_id": loan.book.id, "title": loan.book.title, "card": loan.card, "due": loan.due}
             for loan in summary.overdue]
    return Overdue(loans, "bus", partial=len(loans) >= SUMMARY_OVERDUE_MAX)

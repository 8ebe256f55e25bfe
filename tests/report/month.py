"""A scripted November 2026 at the station, counted independently of the report.

Loans go through the booth's own rules and store (the same steps as a tap at the booth),
ideas through the ideas domain, kiosk use through the counting module, and the herb bed gets
a dry spell and two silent days in its store. `EXPECTED` is what a person counting by hand gets.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.booth import rules
from kiosk.booth.store import BoothStore
from kiosk.booth.tagkey import parse_tag
from kiosk.garden.store import GardenStore, StoredReading
from kiosk.ideas.store import IdeaStore
from kiosk.usage import Counting, UsageStore

BERLIN = ZoneInfo("Europe/Berlin")
OFFERS = Path(__file__).resolve().parents[2] / "config" / "offers.toml"
# The repository's offers, so the report names the offers opened by their titles.
UI = f'[ui]\noffers_file = "{OFFERS}"\n'

MONTH = "2026-11"
END = datetime(2026, 12, 1, 0, 0, tzinfo=BERLIN)       # "now" for the report: the month is over
BOOKS = {"b0000001": "Die kleine Raupe Nimmersatt", "b0000002": "Pippi Langstrumpf", "b0000003": "Das Sams",
         "b0000004": "Momo"}
CARDS = ("04a1b2c3", "04d4e5f6", "04c0ffee")
HIDDEN_IDEA = "Bitte geheim halten: Nachbar Krause parkt falsch"
PENDING_IDEA = "Noch nicht freigegeben: Grillplatz am Kanal"
CONTACT = "oma.ilse@example.org"

EXPECTED = {
    "loans": 5, "returns": 2, "readers": 3, "new_books": 4, "late_percent": 50,
    "top_title": ("Die kleine Raupe Nimmersatt", 2),
    "ideas": 6, "ideas_at_kiosk": 4, "ideas_at_counter": 2, "approved": 4, "answered": 2, "implemented": 1,
    "median_days_to_answer": 3.0, "categories": {"play": 2, "green": 2, "clean": 1, "other": 1},
    "days_in_use": 7, "offers": {"Müttercafé für Alleinerziehende": 5, "Hausaufgabenhilfe": 3}, "languages": {"tr": 2, "de": 1},
    "finder": [("children", "education", 2), ("-", "health", 1)], "read_aloud": 3, "large_text": 1,
    "plus_ones": 2, "dry_days": 3, "alerts": 1, "hours_to_watered": 60.0, "silent_days": 2,
}


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=BERLIN)


class Moment:
    """A clock the script sets."""

    def __init__(self):
        self.now = at(1)

    def __call__(self) -> float:
        return self.now.timestamp()


def tap(store: BoothStore, tag: str, now: datetime, desk: rules.Desk) -> rules.Desk:
    """One tap at the booth, as its service makes it (identify, decide, lend, apply in one transaction)."""
    digest = store.hash(parse_tag(tag))
    limits = rules.Limits(max_loans=3, session_s=30)

    def work(conn):
        decision = rules.decide(store.identify(conn, digest, now), desk, limits, now.timestamp())
        if decision.action == rules.CHECKOUT:
            decision = rules.lend(store.identify(conn, digest, now), store.card(conn, desk.session, now),
                                  decision.desk, limits, now.timestamp())
        store.apply(conn, decision, digest, now)
        return decision
    return store.db.write(work).desk


def borrow(store: BoothStore, card: str, books: list[str], now: datetime) -> None:
    desk = tap(store, card, now, rules.Desk())
    for n, book in enumerate(books, 1):
        desk = tap(store, book, now + timedelta(seconds=n), desk)


def give_back(store: BoothStore, book: str, now: datetime) -> None:
    tap(store, book, now, rules.Desk())


def play_booth(config) -> None:
    with BoothStore.open(config) as store:
        for tag, title in BOOKS.items():
            store.add_book(tag, title, now=at(2))
        for tag in CARDS:
            store.add_card(tag, now=at(2))
        anna, ben, cem = CARDS
        borrow(store, anna, ["b0000001", "b0000002"], at(3))
        give_back(store, "b0000001", at(10))                  # on time
        borrow(store, ben, ["b0000001"], at(10, 11))
        borrow(store, cem, ["b0000003"], at(17))
        borrow(store, ben, ["b0000004"], at(17, 12))
        give_back(store, "b0000002", at(28))                  # due on the 24th: late


def play_ideas(config, counting: Counting, clock: Moment) -> None:
    with IdeaStore.open(config, clock=clock) as store:
        made = []
        for n, (text, category, contact, at_kiosk) in enumerate([
                ("Ein Klettergerüst auf dem Hof der Grundschule", "play", "", True),
                ("Mehr Bänke am Spielplatz Lindenstraße", "play", CONTACT, True),
                ("Blumenkübel vor dem Bäcker", "green", "", True),
                (HIDDEN_IDEA, "clean", "", True),
                ("Ein Gemeinschaftsgarten hinter dem Büro", "green", "", False),
                (PENDING_IDEA, "other", "", False)]):
            clock.now = at(4 + n)
            made.append(store.submit(text, category, contact=contact, consent=bool(contact), lang="de"))
            if at_kiosk:
                counting.idea()
        clock.now = at(12)
        for idea in made[:3] + made[4:5]:
            store.moderate(idea.id, "approve")
        store.moderate(made[3].id, "reject")
        store.moderate(made[0].id, "implemented")
        clock.now = at(6)                                     # idea 1 came on the 4th: 2 days
        store.set_answer(made[0].id, "Ist bestellt und kommt im Frühjahr.")
        clock.now = at(9)                                     # idea 2 came on the 5th: 4 days
        store.set_answer(made[1].id, "Wir sprechen mit dem Grünflächenamt.")


def play_kiosk(counting: Counting, clock: Moment) -> None:
    for day, offers in ((3, ["muettercafe"] * 3), (10, ["muettercafe"] * 2 + ["hausaufgabenhilfe"] * 2),
                        (17, ["hausaufgabenhilfe"])):
        clock.now = at(day, 15)
        for offer in offers:
            counting.screen("offer")
            counting.offer(offer)
    clock.now = at(3, 15)
    counting.finder("children", "education")
    counting.finder("children", "education")
    counting.finder(None, "health")
    counting.language("tr")
    counting.language("tr")
    counting.language("de")
    for _ in range(3):
        counting.read_aloud()
        counting.idle_reset()
    counting.large_text(True)
    counting.large_text(False)
    counting.plus_one(True)
    counting.plus_one(True)
    counting.plus_one(False)                                  # a second +1 of the same visit: not stored


def play_garden(config) -> None:
    readings, seq = [], 0
    moment = at(1, 0)
    while moment < END:
        day = moment.astimezone(BERLIN).day
        if day not in (25, 26):                               # the sensor was silent
            moisture = 22.0 if day in (12, 13, 14) else 55.0   # the dry spell
            seq += 1
            readings.append(StoredReading("bed-1", int(moment.timestamp() * 1000), seq, 40000, moisture))
        moment += timedelta(minutes=10)

    def notice(event: str, when: datetime) -> dict:
        return {"node": "bed-1", "name": "Kräuterbeet", "kind": "dry", "event": event, "moisture": 22.0,
                "since": when.astimezone(timezone.utc).isoformat(), "created": _iso(when),
                "sent_email": 1, "sent_ntfy": 1}
    with GardenStore.open(config) as store:
        store.record(readings, [], [notice("raised", at(12, 8)), notice("cleared", at(14, 20))])


def _iso(moment: datetime) -> str:
    from kiosk.clock import iso

    return iso(moment)


def play(config) -> None:
    """The whole month; the usage counters are written when counting closes."""
    clock = Moment()
    counting = Counting(lambda: UsageStore.open(config), "Europe/Berlin", clock=clock)
    play_booth(config)
    play_ideas(config, counting, clock)
    play_kiosk(counting, clock)
    counting.close()
    play_garden(config)

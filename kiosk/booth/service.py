"""`kiosk booth`: the RFID lending service, wiring reader, rules, store, feedback and bus.

One loop owns everything that changes: it polls the reader every `poll_ms`,
turns each tap into a decision (`rules`), writes the decision and its events
in one durable transaction (the events go into the outbox table in that same
transaction), then gives the child feedback, then lets the outbox send. So a
loan the child saw confirmed is on disk, and its event reaches the broker
later even if the broker is down or the process is killed right after.

paho's thread only hands work over: staff commands queue for the loop, which
runs and answers them; `booth/simulate` (emulated reader only) moves cards in
the emulated field, which is thread-safe.

A full (or failing) disk is lived with, not died of: a tap that cannot be stored
is refused (red light, a `denied` event with reason `not_saved` straight to the
bus) and never confirmed; events of timers and staff commands wait in memory
and go into the outbox with the next write that succeeds; staff see the `disk`
fault on `booth/faults` until a write succeeds again.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable, Iterator

from kiosk.booth import events as events_mod
from kiosk.booth import pending as pending_mod
from kiosk.booth import rules
from kiosk.booth.details import BookDetails
from kiosk.booth.messages import BoothEvent
from kiosk.booth.store import BoothStore
from kiosk.bus import Bus, Message
from kiosk.bus import outbox as outbox_mod
from kiosk.bus.client import encode
from kiosk.clock import iso, parse_iso
from kiosk.errors import BadValue, ProtocolError, StoreBusyError, StoreError
from kiosk.hardware.rfid import TAP, InvalidUid, parse_uid
from kiosk.logs import Throttled
from kiosk.store import Connection
from kiosk.store import outbox as outbox_table

log = logging.getLogger(__name__)

SUMMARY_EVERY_S = 1.0          # the retained summary follows changes at most this often
CHANGED_EVERY_S = 1.0          # look for `kiosk admin` changes this often
ANONYMISE_EVERY_S = 24 * 3600
STORE_RETRY_S = 5.0            # how often held-back events are tried again while the disk refuses writes
NOT_SAVED = "not_saved"        # the reason of a tap refused because it could not be stored
DISK_FAULT = "disk"
DISK_FAULT_TEXT = ("Die Ausleihe kann nichts speichern. Ist die Speicherkarte voll? "
                   "Bis wieder Platz ist, leuchtet bei jeder Karte und jedem Buch das rote Licht.")

EventMaker = Callable[[Connection], list[BoothEvent]]   # the events of a change, made inside its transaction


class Booth:
    """The booth's logic bound to its reader, store, feedback and bus; `run()` drives it.

    `clock()` gives the wall time as epoch seconds (tests move it to expire sessions).
    `on_confirmed(decision, payloads)` runs after commit and feedback with the events as published (tests, benchmarks).
    """

    def __init__(self, config, store: BoothStore, bus: Bus, reader, field, feedback, *,
                 clock: Callable[[], float] = time.time,
                 on_confirmed: Callable[[rules.Decision, list[dict]], None] | None = None):
        self.config = config
        self.store = store
        self.bus = bus
        self.topics = bus.topics
        self.reader = reader
        self.field = field
        self.feedback = feedback
        self.clock = clock
        self.on_confirmed = on_confirmed
        self.limits = rules.Limits(max_loans=config.booth.max_loans_per_card, session_s=config.booth.session_s)
        self.desk = rules.Desk()
        self.outbox = outbox_mod.Outbox(store.db, bus, config.booth.outbox_max)
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._trouble = Throttled(log)
        self._summary_dirty = True
        self._summary_due = 0.0
        self._changed_due = 0.0
        self._anonymise_due = 0.0
        self._held: list[EventMaker] = []      # events the disk did not take yet, oldest first
        self._held_retry_due = 0.0
        store.db.changed()

    # --- wiring -------------------------------------------------------------------------

    def attach(self) -> None:
        """Subscribe and serve commands; call before `bus.start()`."""
        if self.field is not None:
            self.bus.subscribe(self.topics.booth_simulate(), self.simulate)
        for name, handler in (("block", self.command_block), ("register", self.command_register),
                              ("title", self.command_title), ("retire", self.command_retire),
                              ("add_book", self.command_add_book), ("pending", self.command_pending),
                              ("undo", self.command_undo), ("same_isbn", self.command_same_isbn)):
            self.bus.serve(name, handler, worker=self.inbox.put)
        self.bus.on_connect(self._mark_summary)

    def _mark_summary(self) -> None:
        self._summary_dirty = True
        self._summary_due = 0.0

    def simulate(self, message: Message) -> None:
        """`booth/simulate` {"uid": hex, "present": bool}: a card enters or leaves the emulated field."""
        payload = message.json_object()
        uid, present = payload.get("uid"), payload.get("present")
        if not isinstance(uid, str) or not isinstance(present, bool):
            raise ProtocolError('booth/simulate wants {"uid": "<hex>", "present": true|false}')
        try:
            parse_uid(uid)
        except InvalidUid:
            # Not echoed: it may be a real UID with a typo.
            raise ProtocolError("booth/simulate: uid must be 4, 7 or 10 bytes of hexadecimal") from None
        if present:
            self.field.present(uid)
        else:
            self.field.remove(uid)

    # --- the loop ---------------------------------------------------------------------------

    def start(self) -> None:
        self.outbox.start()
        self._adopt_pending()       # a pending book still waiting from before a restart

    def stop(self) -> None:
        self.outbox.stop()

    def run(self, stopping: threading.Event, alive: Callable[[], None] = lambda: None) -> None:
        interval = self.config.booth.poll_ms / 1000
        while not stopping.is_set():
            started = time.monotonic()
            try:
                self.step()
            except Exception:  # noqa: BLE001 — a bug must cost one round, not the booth
                self.bus.log_bug("the booth's loop")
            alive()
            rest = interval - (time.monotonic() - started)
            if rest > 0:
                stopping.wait(rest)

    def step(self) -> None:
        """One look at the reader, then staff commands and timers."""
        for event in self.reader.poll_events():
            if event.kind == TAP:
                try:
                    self.handle_tap(event.uid)
                except Exception:  # noqa: BLE001 — a bug in one tap must not stop the booth
                    self.bus.log_bug("handling a tap")
                    self.refuse_tap()
        while True:
            try:
                command = self.inbox.get_nowait()
            except queue.Empty:
                break
            command.run()         # answers the request itself, whatever happens
        self.tick()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    # --- taps --------------------------------------------------------------------------------

    def handle_tap(self, uid: bytes) -> rules.Decision | None:
        """Decide, commit (with events), give feedback, send. Returns the decision, None on a store failure."""
        self.tick()      # a session whose time is up ends before this tap counts
        now = self.now()
        moment = now.timestamp()
        digest = self.store.hash(uid)
        desk = self.desk

        def work(conn) -> tuple[rules.Decision, list[dict]]:
            self._queue_held(conn)
            tag = self.store.identify(conn, digest, now)
            decision = rules.decide(tag, desk, self.limits, moment)
            if decision.action == rules.CHECKOUT:
                card = self.store.card(conn, desk.session, now)
                if card is None:      # the card was deleted meanwhile: treat as no session
                    decision = rules.decide(tag, rules.Desk(), self.limits, moment)
                else:
                    decision = rules.lend(tag, card, decision.desk, self.limits, moment)
            waiting = pending_mod.waiting(conn, iso(now)) if desk.register == "books" else None
            applied = self.store.apply(conn, decision, digest, now, waiting.details if waiting else None)
            ended = None      # the pseudonym of a session this tap ended
            if decision.action in (rules.SWITCH, rules.REGISTER):
                ended = self.store.pseudonym_of(conn, decision.previous)
            elif decision.action == rules.DENY and decision.reason == rules.BLOCKED and decision.book is not None:
                ended = decision.card.pseudonym
            made = events_mod.for_decision(decision, applied, iso(now), ended)
            if waiting is not None:
                decision, extra = self._pending_tap(conn, waiting, decision, applied, iso(now))
                made += extra
            self._queue_events(conn, made)
            return decision, made

        try:
            with self._storing("a tap"):
                decision, made = self.store.db.write(work)
        except StoreError:
            self.refuse_tap()
            return None
        self._stored()
        self.desk = decision.desk
        self.feedback.show(events_mod.feedback_for(decision))
        self.outbox.notify()
        self._summary_dirty = True
        for e in made:
            log.info("%s: %s%s%s", e.type, e.card or "-", f", book {e.book.id}" if e.book else "",
                     f" ({e.reason})" if e.reason else "")
        if self.on_confirmed:
            self.on_confirmed(decision, [e.to_payload() for e in made])
        return decision

    def _queue_events(self, conn, made: list[BoothEvent]) -> None:
        topic = self.topics.booth_events()
        for e in made:
            outbox_table.put(conn, topic, encode(e.to_payload()), qos=1)
        dropped = outbox_table.trim(conn, self.outbox.limit)
        if dropped:
            self._trouble.warning("outbox", "broker away for long: dropped the %d oldest event(s)", dropped)

    def refuse_tap(self) -> None:
        """A tap that was not stored: the child sees red, the kiosk a `denied` event; nothing is confirmed."""
        self.feedback.show("denied")
        self.bus.publish(self.topics.booth_events(),
                         events_mod.event(events_mod.DENIED, iso(self.now()), reason=NOT_SAVED).to_payload(), qos=1)

    def _emit(self, made: list[BoothEvent] | EventMaker) -> None:
        """Queue events durably now or, while the disk refuses, with the next write that succeeds."""
        self._held.append(made if callable(made) else (lambda conn: made))
        self._write_held()

    def _write_held(self) -> None:
        try:
            with self._storing("events"):
                self.store.db.write(self._queue_held)
        except StoreError:
            self._held_retry_due = time.monotonic() + STORE_RETRY_S
            return
        self._stored()
        self.outbox.notify()
        self._summary_dirty = True

    def _queue_held(self, conn: Connection) -> None:
        for make in self._held:
            self._queue_events(conn, make(conn))

    @contextmanager
    def _storing(self, what: str) -> Iterator[None]:
        """Around a write: a failure is logged and, unless another process only held the lock, shown to staff.

        The fault is cleared by `_stored()` after writes that surely added rows (a tap, held
        events): a write that changed nothing may commit on a full disk and prove nothing.
        """
        try:
            yield
        except StoreBusyError as exc:
            self._trouble.warning("busy", "could not store %s: %s", what, exc)
            raise
        except StoreError as exc:
            self._trouble.warning("store", "could not store %s: %s", what, exc)
            self.bus.faults.raise_fault(DISK_FAULT, DISK_FAULT_TEXT)
            raise

    def _stored(self) -> None:
        self._held.clear()
        self.bus.faults.clear(DISK_FAULT)

    # --- timers ------------------------------------------------------------------------------

    def tick(self) -> None:
        """Session and register time-outs, admin changes, the summary, daily anonymisation."""
        now = self.now()
        if self._held and time.monotonic() >= self._held_retry_due:
            self._write_held()
        while True:
            expired = rules.expire(self.desk, now.timestamp())
            if not expired.action:
                break
            self.desk = expired.desk
            if expired.action == rules.CLOSE:
                # Made inside the write, which may come later (a full disk): bind what it needs now.
                def session_end(conn: Connection, card_id: int | None = expired.previous, ts: str = iso(now)):
                    return [events_mod.event(events_mod.SESSION_END, ts, self.store.pseudonym_of(conn, card_id),
                                             reason=rules.TIMEOUT)]
                self._emit(session_end)
            else:
                def register_off(conn: Connection, ts: str = iso(now)):
                    pending_mod.end(conn, pending_mod.TIMEOUT)       # a pending book waits as long as register mode
                    return [events_mod.event(events_mod.REGISTER, ts, None, mode="off", reason=rules.TIMEOUT)]
                self._emit(register_off)
        mono = time.monotonic()
        if mono >= self._changed_due:
            self._changed_due = mono + CHANGED_EVERY_S
            if self.store.db.changed():
                self._summary_dirty = True      # `kiosk admin` changed books, cards or blocks
                self._adopt_pending()           # ... or said what the next new tag becomes
        if mono >= self._anonymise_due:
            self._anonymise_due = mono + ANONYMISE_EVERY_S
            self.anonymise()
        if self._summary_dirty and mono >= self._summary_due and self.bus.connected.is_set():
            self._summary_dirty = False
            self._summary_due = mono + SUMMARY_EVERY_S
            self.publish_summary()

    def _adopt_pending(self) -> None:
        try:
            waiting = self.store.waiting_pending(self.now())
        except StoreError:
            return
        if waiting is not None:
            self._pending_adopted(waiting)

    def anonymise(self) -> int:
        try:
            with self._storing("the anonymisation of old loans"):
                count = self.store.anonymise(self.config.booth.anonymise_after_days, self.now())
        except StoreError:
            self._anonymise_due = time.monotonic() + 600
            return 0
        if count:
            log.info("anonymised %d loan(s) returned more than %d days ago", count,
                     self.config.booth.anonymise_after_days)
        return count

    def publish_summary(self) -> None:
        self.bus.publish(self.topics.booth_summary(), self.store.summary(self.now()).to_payload(), qos=1, retain=True)

    # --- staff commands (run on the loop) ----------------------------------------------------

    def command_block(self, request: dict) -> dict:
        """{"card": pseudonym, "blocked": bool}: block or unblock a card; an open session of it ends."""
        with self._storing("a block"):
            card = self.store.block(request.get("card"), request.get("blocked", True))
        if card.blocked and self.desk.session == card.id:
            self.desk = rules.Desk(register=self.desk.register, register_until=self.desk.register_until)
            self._emit([events_mod.event(events_mod.SESSION_END, iso(self.now()), card.pseudonym,
                                         reason=rules.BLOCKED)])
        self._summary_dirty = True
        return {"card": card.pseudonym, "blocked": card.blocked}

    def command_register(self, request: dict) -> dict:
        """{"mode": "books"|"cards"|"off"}: what unknown tags become from now on."""
        mode = request.get("mode")
        if mode not in rules.REGISTER_MODES:
            raise BadValue('mode must be "books", "cards" or "off"')
        moment = self.clock()
        self.desk = rules.Desk(register=mode, register_until=moment + rules.REGISTER_IDLE_S if mode != "off" else 0.0)
        self._emit([events_mod.event(events_mod.REGISTER, iso(self.now()), None, mode=mode)])
        return {"mode": mode}

    def command_title(self, request: dict) -> dict:
        """{"book": id, "title": text}: give a book its title."""
        with self._storing("a title"):
            book = self.store.set_title(request.get("book"), request.get("title"))
        self._summary_dirty = True
        return {"book": {"id": book.id, "title": book.title}}


    def command_retire(self, request: dict) -> dict:
        """{"book": id}: the book is gone; its tag counts as unknown from now on."""
        with self._storing("a retired book"):
            book = self.store.retire(request.get("book"))
        self._summary_dirty = True
        return {"book": {"id": book.id, "title": book.title}}

    # --- the desk: books registered with what staff know of them (kiosk/booth/pending.py) ---

    def command_add_book(self, request: dict) -> dict:
        """{"book": {title, author?, age_group?, isbn?, publisher?, year?}, "tag"?: UID}.

        With a tag (typed by staff) the book is stored at once; the UID is only hashed,
        never logged, published or answered. Without, the next new tag tapped at the booth
        becomes this book: the reply's ticket asks `pending` what became of it.
        """
        details = BookDetails.from_payload(request.get("book"))
        tag = request.get("tag")
        if tag is not None:
            if not isinstance(tag, str):
                raise BadValue("the tag must be its UID in hexadecimal, e.g. 04a1b2c3")
            with self._storing("a new book"):
                book = self.store.add_book_details(tag, details, self.now())
            self._summary_dirty = True
            self._emit([events_mod.event(events_mod.REGISTERED, iso(self.now()), None, book, kind="book")])
            return {"book": {"id": book.id, "title": book.title}}
        until = datetime.fromtimestamp(self.clock() + rules.REGISTER_IDLE_S, timezone.utc)
        with self._storing("a pending book"):
            waiting = self.store.put_pending(details, until, self.now())
        self._pending_adopted(waiting)
        return {"ticket": waiting.ticket, "until": waiting.until}

    def command_pending(self, request: dict) -> dict:
        """{"ticket": t, "cancel"?: true}: what became of a pending book (cancelled first, if asked)."""
        ticket = request.get("ticket")
        cancel = request.get("cancel", False)
        if not isinstance(ticket, str) or not isinstance(cancel, bool):
            raise BadValue('pending wants {"ticket": "<from add_book>", "cancel": true|false}')

        with self._storing("a cancelled book"):
            found = self.store.pending(ticket, cancel)
        if found is None:
            raise BadValue("no such pending book; start again with the ISBN")
        if cancel and self.desk.register == "books" and self.store.waiting_pending(self.now()) is None:
            self._register_off(rules.STAFF)
        return found.to_payload()

    def command_undo(self, request: dict) -> dict:
        """{"book": id}: a book registered by mistake goes again — removed if never lent, else retired."""
        with self._storing("an undone book"):
            book, how = self.store.undo(request.get("book"))
        self._summary_dirty = True
        return {"book": {"id": book.id, "title": book.title}, "undone": how}

    def command_same_isbn(self, request: dict) -> dict:
        """{"isbn": ISBN-13}: the books in the booth with this ISBN (a donated duplicate?)."""
        isbn = request.get("isbn")
        if not isinstance(isbn, str) or not (len(isbn) == 13 and isbn.isascii() and isbn.isdigit()):
            raise BadValue("the ISBN must be an ISBN-13 of 13 digits")
        return {"books": [book.to_payload() for book in self.store.same_isbn(isbn)]}

    def _pending_tap(self, conn, waiting: pending_mod.Pending, decision: rules.Decision, applied: rules.Applied,
                     ts: str) -> tuple[rules.Decision, list[BoothEvent]]:
        """Inside a tap's transaction while a pending book waits: the new tag becomes it (and
        register mode ends: one tag per pending book), a known book's tag is noted, a card ends it."""
        if decision.action == rules.NEW_BOOK:
            pending_mod.done(conn, waiting.ticket, applied.book.id)
            off = replace(decision.desk, register="off", register_until=0.0)
            return replace(decision, desk=off), [events_mod.event(events_mod.REGISTER, ts, None, mode="off")]
        if decision.action == rules.DENY and decision.reason == rules.ALREADY_REGISTERED and decision.book:
            pending_mod.taken(conn, waiting.ticket, decision.book.id)
        elif decision.desk.register != "books":
            pending_mod.end(conn, pending_mod.CARD, waiting.ticket)
        return decision, []

    def _pending_adopted(self, waiting: pending_mod.Pending) -> None:
        """A pending book waits (from a command, or written by `kiosk admin`): unknown tags become books."""
        until = parse_iso(waiting.until).timestamp()
        if self.desk.register == "books" and self.desk.register_until >= until:
            return
        self.desk = replace(self.desk, register="books", register_until=until)
        self._emit([events_mod.event(events_mod.REGISTER, iso(self.now()), None, mode="books")])

    def _register_off(self, reason: str) -> None:
        self.desk = replace(self.desk, register="off", register_until=0.0)
        self._emit([events_mod.event(events_mod.REGISTER, iso(self.now()), None, mode="off", reason=reason)])


def run(config) -> int:
    """Entry point of `kiosk booth`."""
    from kiosk.hardware import feedback as feedback_mod
    from kiosk.hardware.rfid import make_reader
    from kiosk.service import serve

    booth_config = config.booth

    def build(parts) -> Booth:
        store = parts.enter_context(BoothStore.open(config))
        reader, field = make_reader(booth_config.reader, bus=booth_config.spi_bus, device=booth_config.spi_device,
                                    pin_rst=booth_config.pin_rst, poll_interval=booth_config.poll_ms / 1000)
        parts.callback(reader.close)
        logging.getLogger("mfrc522Logger").propagate = False    # its own handler; keep it out of ours
        feedback = parts.enter_context(feedback_mod.from_config(booth_config))
        # Events go through the outbox; a clean session keeps simulate taps sent while the
        # booth was down from arriving as ghost taps after a restart.
        bus = Bus(config, "booth")
        booth = Booth(config, store, bus, reader, field, feedback)
        booth.attach()
        # The bus stops after the outbox, which settles the broker's last acknowledgements.
        parts.callback(bus.stop)
        booth.start()
        parts.callback(booth.stop)
        bus.start()
        log.info("booth ready (%s reader, %d loans at most per card, %d days)", booth_config.reader,
                 booth_config.max_loans_per_card, booth_config.loan_days)
        return booth

    return serve("booth", build)

"""Telling an idea's author that staff answered it: one e-mail, in the language they wrote in.

`moderation.answer` keeps the answer in ideas.sqlite (table answer_mails) when the author
left an e-mail address with consent; `AnswerMailer`, run by `kiosk console`, sends it over
the station's SMTP settings (`[garden.notify.email]`, through kiosk/mail.py). A mail server
that is down or refuses a login loses nothing: the mail waits, is tried again with growing
pauses, and staff see why on the console. Once the mail went, the contact is erased in the
same transaction (DESIGN.md: erased after answering).
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from typing import Callable

from kiosk import mail
from kiosk.ideas.moderation import STATUS_WORDS
from kiosk.ideas.store import AnswerMail, Idea, IdeaStore
from kiosk.logs import Throttled
from kiosk.translation import N_, load_catalog

log = logging.getLogger(__name__)

OFFICE_LANGUAGE = "de"      # an author whose language is unknown is answered as the office speaks
SEND_TIMEOUT_S = 15
RETRY_MIN_S, RETRY_MAX_S = 30.0, 3600.0
IDLE_S = 30.0               # look for answers written elsewhere (kiosk admin, the kiosk) this often

SUBJECT = N_("Your idea no. {number} has an answer")
HELLO = N_("Hello,")
YOUR_IDEA = N_("your idea for the neighbourhood office Batenbrock:")
OUR_ANSWER = N_("Our answer:")
STATUS = N_("Status: {status}")
ON_THE_WALL = N_("Thank you for your idea! You can also find it on the ideas wall in our shop window.")
THANKS = N_("Thank you for your idea!")
ERASED = N_("We are now deleting your contact details.")
SIGNATURE = N_("Your neighbourhood office Batenbrock")


def compose(idea: Idea, lang: str, languages: tuple[str, ...]) -> tuple[str, str]:
    """The subject and text of the mail that tells the author of `idea` its answer."""
    words = load_catalog(lang if lang in languages else OFFICE_LANGUAGE).gettext
    body = [words(HELLO), "", words(YOUR_IDEA), _indented(idea.text), "", words(OUR_ANSWER), _indented(idea.answer),
            "", words(STATUS).format(status=words(STATUS_WORDS[idea.status])), "",
            words(ON_THE_WALL if idea.public else THANKS), words(ERASED), "", words(SIGNATURE)]
    return words(SUBJECT).format(number=idea.number), "\n".join(body) + "\n"


def _indented(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


class AnswerMailer:
    """Sends the answers that wait in the store; `run` keeps doing so until stopped."""

    def __init__(self, store: IdeaStore, settings, *, languages: tuple[str, ...], timezone: str,
                 clock: Callable[[], float] = time.time, timeout_s: float = SEND_TIMEOUT_S):
        self.store = store
        self.settings = settings
        self.languages = tuple(languages)
        self.timezone = timezone
        self.timeout_s = timeout_s
        self._clock = clock
        self._poke = threading.Event()
        self._stopping = threading.Event()
        self._log = Throttled(log, 300)

    @classmethod
    def for_station(cls, config, store: IdeaStore, *, clock: Callable[[], float] = time.time) -> "AnswerMailer":
        return cls(store, config.garden.notify.email, languages=config.station.languages,
                   timezone=config.station.timezone, clock=clock)

    @property
    def enabled(self) -> bool:
        """False while `[garden.notify.email] host` is empty: answers then wait."""
        return bool(self.settings.host)

    def poke(self) -> None:
        """An answer was just written: send it now rather than at the next look."""
        self._poke.set()

    def send_due(self) -> int:
        """Send every answer whose time has come, over one connection; returns how many went."""
        if not self.enabled:
            return 0
        due = self.store.answer_mails_due()
        if not due:
            return 0
        try:
            server = mail.connect(self.settings, self.timeout_s)
        except Exception as exc:  # noqa: BLE001 — whatever it is, the mails wait and staff see why
            for waiting in due:
                self._failed(waiting, exc)
            return 0
        sent = 0
        try:
            for waiting in due:
                subject, text = compose(waiting.idea, waiting.lang, self.languages)
                message = mail.new_message(self.settings, subject, text, tag="idea", timezone=self.timezone,
                                           clock=self._clock)
                try:
                    refused = mail.send_one(server, message, waiting.contact)
                except (OSError, smtplib.SMTPException) as exc:
                    self._failed(waiting, exc)
                    break           # the connection is likely gone; the rest go at the next try
                if refused:
                    log.warning("the mail server refuses the author of idea #%s for good (%s)",
                                waiting.idea.id, refused)
                    self.store.answer_mail_failed(
                        waiting.idea.id, f"Die Adresse wird abgelehnt ({refused}). Prüf sie mit „Kontakt zeigen“.",
                        None)
                    continue
                self.store.answer_mail_sent(waiting.idea.id)
                log.info("the author of idea #%s has its answer; contact erased", waiting.idea.id)
                sent += 1
        finally:
            mail.quit_politely(server)
        return sent

    def _failed(self, waiting: AnswerMail, exc: BaseException) -> None:
        pause = min(RETRY_MAX_S, RETRY_MIN_S * 2 ** min(waiting.tries, 16))
        self._log.warning("answer mail", "the answer to idea #%s waits: %s (%s)", waiting.idea.id,
                          type(exc).__name__, exc)
        self.store.answer_mail_failed(waiting.idea.id, mail.explain(exc, self.settings, "kiosk console"),
                                      self._clock() + pause)

    def run(self) -> None:
        """Send what is due now and whenever poked (or every IDLE_S), until `stop()`."""
        while not self._stopping.is_set():
            try:
                self.send_due()
            except Exception:  # noqa: BLE001 — a bug here must not end the mailing for good
                log.exception("sending answer mails failed")
            self._poke.wait(IDLE_S)
            self._poke.clear()

    def stop(self) -> None:
        self._stopping.set()
        self._poke.set()

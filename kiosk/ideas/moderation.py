"""What staff do with ideas, for every face: the kiosk's staff tabs, `kiosk admin`, the console.

Each operation takes an open IdeaStore and plain values, and returns the idea as it
now is (or raises IdeaRejected / NotFoundError / ModerationError with a message a
face can show). The words for states and statuses live here too, as message ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import ModerationError
from kiosk.ideas.store import STATUSES, Idea, IdeaStore
from kiosk.translation import N_

# What people read for each status (stored values stay English identifiers).
STATUS_WORDS = {"new": N_("New"), "in_progress": N_("In progress"), "implemented": N_("Done!"),
                "not_possible": N_("Not possible")}


@dataclass(frozen=True)
class Answered:
    """An idea whose public answer was written: the one place where "idea answered" happens.

    `tell_author` is True when the author left a contact with consent and the answer is
    not empty; `contact` and `lang` say where and in which language (lang "" = unknown).
    `mailed` is True when the contact is an e-mail address: the answer then waits in the
    store until `kiosk console` has mailed it (kiosk/ideas/answer_mail.py), and the
    contact is erased once it went. Otherwise (a phone number) staff tell the author.
    """

    idea: Idea
    tell_author: bool
    contact: str = ""
    lang: str = ""
    mailed: bool = False


def approve(store: IdeaStore, idea_id: int) -> Idea:
    """Show the idea on the public wall."""
    return store.moderate(idea_id, "approve")


def reject(store: IdeaStore, idea_id: int) -> Idea:
    """Keep the idea off the public wall."""
    return store.moderate(idea_id, "reject")


def set_status(store: IdeaStore, idea_id: int, status: str) -> Idea:
    """Say what became of the idea: one of STATUSES; raises ModerationError for another."""
    if status not in STATUSES:
        raise ModerationError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return store.moderate(idea_id, status)


def answer(store: IdeaStore, idea_id: int, text: str) -> Answered:
    """Write staff's short public answer (an empty text takes it back).

    Raises IdeaRejected("answer_too_long"), NotFoundError for an unknown idea.
    """
    idea = store.set_answer(idea_id, text)
    contact = store.contact_of(idea_id) or ""
    tell = bool(idea.answer and contact)
    mailed = tell and is_email(contact)
    if mailed:
        store.queue_answer_mail(idea_id)
    else:
        store.drop_answer_mail(idea_id)
    return Answered(idea=idea, tell_author=tell, contact=contact if idea.answer else "",
                    lang=store.language_of(idea_id), mailed=mailed)


def is_email(contact: str) -> bool:
    """Whether a contact is an e-mail address (the kiosk takes a phone number just as well)."""
    local, at, domain = contact.strip().rpartition("@")
    return bool(at and local and domain.strip(".") and not any(c.isspace() for c in contact.strip()))

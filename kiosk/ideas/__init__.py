"""Residents' ideas for the neighbourhood: submitted on the kiosk, public after staff approve.

Domain code only (no Kivy): residents' ideas go in through IdeaStore.submit (the kiosk and
`kiosk admin ideas add` alike); what staff do with them is in kiosk.ideas.moderation.
"""

from kiosk.ideas.store import (CATEGORIES, MAX_ANSWER_CHARS, MAX_CONTACT_CHARS, MAX_TEXT_CHARS, RATE_LIMITS, REASONS,
                               STATES, STATUSES, Idea, IdeaStore)
from kiosk.errors import IdeaRejected, ModerationError

__all__ = ["CATEGORIES", "MAX_ANSWER_CHARS", "MAX_CONTACT_CHARS", "MAX_TEXT_CHARS", "RATE_LIMITS", "REASONS", "STATES",
           "STATUSES", "Idea", "IdeaRejected", "IdeaStore", "ModerationError"]

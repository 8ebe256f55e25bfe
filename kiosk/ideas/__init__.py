"""Residents' ideas for the neighbourhood: submitted on the kiosk, public after staff approve.

Domain code only (no Kivy): the UI calls IdeaStore, staff use `kiosk admin ideas`.
"""

from kiosk.ideas.store import (CATEGORIES, MAX_CONTACT_CHARS, MAX_TEXT_CHARS, RATE_LIMITS, REASONS,
                               STATES, STATUSES, Idea, IdeaStore)
from kiosk.errors import IdeaRejected, ModerationError

__all__ = ["CATEGORIES", "MAX_CONTACT_CHARS", "MAX_TEXT_CHARS", "RATE_LIMITS", "REASONS", "STATES",
           "STATUSES", "Idea", "IdeaRejected", "IdeaStore", "ModerationError"]

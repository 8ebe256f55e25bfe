"""Friendly pseudonyms for children's cards: "Lesefuchs 17".

A card's number makes the pseudonym unique; the animal only makes it nicer to
hear, so children remember "their" animal.
"""

from __future__ import annotations

import re

ANIMALS = ("Lesefuchs", "Bücherwurm", "Leseeule", "Leseigel", "Buchbiber", "Lesedrache", "Seitenspatz",
           "Leselöwe", "Geschichtenbär", "Lesemaus", "Bücherkatze", "Leseotter")
MAX_LENGTH = 40
# Letters of any alphabet, digits, space, '-', '.', "'": names staff can say out loud.
ALLOWED = re.compile(r"^[^\W_](?:[\w .'\-]*[^\W_])?$")


def pseudonym_for(number: int) -> str:
    """The default pseudonym of the card with this number (1, 2, ...)."""
    if number < 1:
        raise ValueError("card numbers start at 1")
    return f"{ANIMALS[(number - 1) % len(ANIMALS)]} {number}"


def check_pseudonym(name: str) -> str | None:
    """Why `name` cannot be a pseudonym, or None when it can."""
    name = name.strip()
    if not name:
        return "a pseudonym must not be empty"
    if len(name) > MAX_LENGTH:
        return f"a pseudonym has at most {MAX_LENGTH} characters"
    if not ALLOWED.match(name) or "_" in name:
        return "a pseudonym may use letters, digits, spaces, '-', '.' and \"'\" only"
    if re.fullmatch(r"[0-9a-fA-F:\- ]{8,}", name):
        # Looks like a UID typed into the wrong field: a pseudonym must not carry one.
        return "that looks like a tag UID; pick a name such as \"Lesefuchs 17\""
    return None

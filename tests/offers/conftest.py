"""Offers fixtures: a station with its own offers.toml and calendar feeds."""

from __future__ import annotations

import json

import pytest

SMALL_OFFERS = """
[[offer]]
id = "cafe"
icon = "coffee"
free = true
audiences = ["single_parents", "families"]
topics = ["everyday"]
weekly = [ { day = "di", start = "09:30", end = "11:30" } ]
[offer.title]
de = "Müttercafé"
en = "Mothers' café"

[[offer]]
id = "beet"
icon = "herb"
always_open = true
audiences = ["everyone"]
topics = ["health", "everyday"]
[offer.title]
de = "Kräuterbeet"
"""


@pytest.fixture
def station(tmp_path, make_config):
    """station(offers=TEXT, feeds=[...]) -> a loaded Config whose offers.toml is TEXT."""
    def make(offers: str = SMALL_OFFERS, feeds: list[str] = ()):
        (tmp_path / "offers.toml").write_text(offers, encoding="utf-8")
        extra = f"[ui]\noffers_file = \"offers.toml\"\ncalendar_feeds = {json.dumps(list(feeds))}\n"
        return make_config(extra=extra)
    return make

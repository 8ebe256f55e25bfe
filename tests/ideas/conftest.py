"""An idea store on a real SQLite file, with a clock the test moves."""

import pytest

from kiosk.ideas.store import MIGRATIONS, IdeaStore
from kiosk.store import Database


class Clock:
    def __init__(self, start=1_795_000_000.0):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    with IdeaStore(Database(tmp_path / "ideas.sqlite", MIGRATIONS), clock=clock) as opened:
        yield opened

"""Any payload on any topic the kiosk subscribes to leaves every screen that shows bus data working."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.ui.driver import Driver

from tests.ui.conftest import FakeClock, write_config

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=8)
# What each topic's payload has (DESIGN.md), and fields nested in them: near misses get each of them wrong.
TOPICS = {
    "garden/bed-1/state": ("moisture", "status", "ts"),
    "garden/bed-1/alert": ("active", "kind", "since", "moisture", "acknowledged"),
    "garden/bed-1/history/24h": ("points", "node", "span", "bucket_s"),
    "garden/bed-1/history/7d": ("points",),
    "booth/summary": ("ts", "active_loans", "overdue", "month"),
    "booth/events": ("type", "ts", "card", "book", "reason", "loans", "due"),
    "garden/status": (),
}
NESTED = ("ts", "min", "avg", "max", "n", "book", "card", "due", "title", "id", "loans", "returns", "readers")
NEAR = st.recursive(JSON, lambda inner: st.fixed_dictionaries({}, optional={k: inner for k in NESTED})
                    | st.lists(st.fixed_dictionaries({}, optional={k: inner for k in NESTED}), max_size=3),
                    max_leaves=12)


SCREENS = ("home", "booth", "herbs")     # and the staff tabs


def payloads(fields: tuple[str, ...]):
    return st.fixed_dictionaries({}, optional={name: NEAR for name in fields}) | JSON


@pytest.fixture(scope="module")
def kiosk(module_dir):
    from kiosk.ui.app import KioskApp

    app = KioskApp(write_config(module_dir), size=(800, 480), connect=False, clock=FakeClock(), offers=[])
    driver = Driver(app).start()
    yield driver
    driver.stop()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_payload_leaves_every_screen_working(kiosk, data):
    topic = data.draw(st.sampled_from(sorted(TOPICS)), label="topic")
    payload = data.draw(payloads(TOPICS[topic]), label="payload")
    app, live = kiosk.app, kiosk.app.live
    live.state.clear(), live.alert.clear(), live.history.clear(), live.events.clear()    # this payload alone
    live.summary = None
    live.apply(f"{live.topics.base}/{topic}", payload)
    app.staff = True                          # the staff tabs build only in staff mode
    staff = app.screens.build("staff")
    for tab in ("alerts", "plot", "loans", "sensors"):
        staff.tab = tab
        staff.rebuild()
    app.staff = False
    for name in SCREENS:
        app.screens.build(name).rebuild()           # built from what the kiosk now knows, as on each visit

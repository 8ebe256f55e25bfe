"""`kiosk fleet bridge` and `kiosk fleet central` take any text for the central broker's
address, a password, a host name and station ids: either a clear FleetError, or files
that say exactly what was asked — no line a password or name could slip into Mosquitto's
configuration."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.bus.topics import Topics
from kiosk.fleet import bridge, central
from kiosk.fleet.bridge import FleetError

TOPICS = Topics("batenbrock", "batenbrock-1")
TEMPLATE = bridge.template("bridge.conf.example")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_the_bridge_config_holds_only_what_was_asked(address, password):
    try:
        text = bridge.render(TOPICS, address, password, TEMPLATE)
    except FleetError as exc:
        assert str(exc)
        return
    clean = bridge.render(TOPICS, "central.example.org:8883", "secret", TEMPLATE)
    assert text == clean.replace("address central.example.org:8883\n", f"address {address}\n") \
        .replace("remote_password secret\n", f"remote_password {password}\n")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.lists(st.text(max_size=40), max_size=3))
def test_central_names_are_checked_before_anything_is_made(host, stations):
    try:
        central.check(host, stations)
    except FleetError as exc:
        assert str(exc)
        return
    assert "\n" not in host and " " not in host and not host.startswith("-")
    assert all(station.isascii() and "/" not in station and "+" not in station for station in stations)


def test_a_station_cannot_be_named_like_the_dashboards_account():
    try:
        central.check("central.example.org", ["district"])
    except FleetError as exc:
        assert "district" in str(exc)
    else:
        raise AssertionError("district accepted as a station id")

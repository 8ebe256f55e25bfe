"""The kiosk's day counters: written by a worker, kept over a failed write, nothing finer than a day."""

from __future__ import annotations

import time

from hypothesis import given, settings, strategies as st

from kiosk.errors import StoreError
from kiosk.usage import Counting, UsageStore
from kiosk.usage import keys

NOV_3 = 1793700000.0          # 2026-11-03 in Berlin


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not written in time"
        time.sleep(0.02)


def test_counts_reach_the_file_without_closing(make_config):
    config = make_config()
    counting = Counting(lambda: UsageStore.open(config), clock=lambda: NOV_3, flush_s=0.05)
    counting.offer("stadtteilcafe")
    counting.offer("stadtteilcafe")
    with UsageStore.open(config) as store:
        wait_for(lambda: store.totals("2026-11-03", "2026-11-03").get("offer:stadtteilcafe") == 2)
    counting.close()


def test_a_failed_write_keeps_the_counts_for_the_next(make_config):
    config = make_config()
    tries = []

    def open_store():
        tries.append(1)
        if len(tries) == 1:
            raise StoreError("disk full")
        return UsageStore.open(config)

    counting = Counting(open_store, clock=lambda: NOV_3, flush_s=3600)
    counting.read_aloud()
    counting.flush()                  # fails: kept
    counting.read_aloud()
    counting.close()
    with UsageStore.open(config) as store:
        assert store.totals("2026-11-01", "2026-11-30") == {"read_aloud": 2}


def test_only_the_day_and_what_was_used_are_kept(make_config):
    config = make_config()
    counting = Counting(lambda: UsageStore.open(config), clock=lambda: NOV_3)
    counting.language("tr")
    counting.plus_one(True)
    counting.close()
    counting.language("de")           # after close: dropped, nothing raised
    with UsageStore.open(config) as store:
        assert [tuple(r) for r in store.db.rows("SELECT * FROM usage ORDER BY key")] == [
            ("2026-11-03", "lang:tr", 1), ("2026-11-03", "plus_one", 1)]
        assert [r[1] for r in store.db.rows("PRAGMA table_info(usage)")] == ["day", "key", "count"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=80)))
def test_any_offer_id_or_finder_choice_makes_a_short_plain_key(name, other):
    for key in (keys.offer(name), keys.screen(name), keys.language(name), keys.finder(name, other)):
        assert len(key) <= 2 * keys.MAX_PART + 10
        assert all(c.isalnum() or c in "_-.:" for c in key)


def test_after_each_write_the_months_counters_are_retained_on_the_bus(make_config, broker, watch):
    from kiosk.bus import Bus
    from kiosk.usage.messages import UsageSummary

    config = make_config(broker.port)
    bus = Bus(config, "ui")
    bus.start()
    assert bus.wait_connected(10)
    counting = Counting(lambda: UsageStore.open(config), clock=lambda: NOV_3, flush_s=3600)
    counting.publish_to(lambda payload: bus.publish(bus.topics.ui_usage(), payload, retain=True))
    counting.offer("muettercafe")
    counting.language("tr")
    live = watch(config, bus.topics.ui_usage())
    counting.close()
    live.wait_for(bus.topics.ui_usage())                    # sent before the kiosk's bus goes
    bus.stop()
    watcher = watch(config, bus.topics.ui_usage())         # subscribes after: only a retained one arrives
    summary = UsageSummary.from_payload(watcher.wait_for(bus.topics.ui_usage()))
    assert (summary.month, summary.days_in_use) == ("2026-11", 1)
    assert summary.counts == {"offer:muettercafe": 1, "lang:tr": 1}


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                max_size=4), max_leaves=12))
def test_any_usage_payload_is_a_summary_or_one_bad_message(payload):
    from kiosk.errors import BadMessage
    from kiosk.usage.messages import UsageSummary

    try:
        summary = UsageSummary.from_payload(payload)
    except BadMessage as exc:
        assert str(exc).startswith("kiosk usage summary")
        return
    assert all(isinstance(n, int) and n >= 0 for n in summary.counts.values())

"""The running kiosk (real Kivy under Xvfb) counts what a passer-by opens, and the report shows it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.report.figures import collect
from kiosk.report.period import period_of
from kiosk.usage import UsageStore
from tests.ui.conftest import FakeClock, RecordingSpeaker, write_config


@pytest.fixture
def kiosk(tmp_path):
    from kiosk.ui import sample
    from kiosk.ui.app import KioskApp
    from kiosk.ui.driver import Driver

    config = write_config(tmp_path)
    clock = FakeClock()
    app = KioskApp(config, size=(800, 480), connect=False, clock=clock, speaker=RecordingSpeaker(),
                   offers=sample.offers(config))
    driver = Driver(app).start()
    driver.clock, driver.config = clock, config
    yield driver
    driver.stop()


def test_an_offer_opened_on_the_kiosk_is_counted_for_its_day(kiosk):
    kiosk.tap("offers")
    kiosk.tap("audience:children")
    row = next(w for w in kiosk.visible() if getattr(w, "tag", "").startswith("offer:"))
    offer_id = row.tag.split(":", 1)[1]
    kiosk.tap(row)
    assert kiosk.app.current == "offer"
    kiosk.app.read_aloud()
    kiosk.app.usage.flush()
    day = datetime.fromtimestamp(kiosk.clock(), ZoneInfo("Europe/Berlin"))
    with UsageStore.open(kiosk.config) as store:
        counted = store.totals(day.strftime("%Y-%m-%d"), day.strftime("%Y-%m-%d"))
    assert counted[f"offer:{offer_id}"] == 1
    assert counted["finder:children:-"] == 1
    assert counted["screen:offer"] == 1 and counted["read_aloud"] == 1
    report = collect(kiosk.config, period_of(day.strftime("%Y-%m")), day)
    title = next(o for o in kiosk.app.offers if o.id == offer_id).text("title", "de")
    assert report.kiosk.top_offers == [(title, 1)]
    assert report.kiosk.days_in_use == 1

"""The touch kiosk shows an edited offers.toml without a restart (the staff console's promise)."""

from __future__ import annotations

import shutil

from kiosk.ui.driver import Driver

from tests.ui.conftest import ROOT, STATION


def test_an_offer_changed_in_the_file_shows_on_the_kiosk_without_a_restart(tmp_path, monkeypatch):
    from kiosk import config as config_mod
    from kiosk.offers import loading
    from kiosk.offers.editing import OffersFile
    from kiosk.ui.app import KioskApp

    monkeypatch.setattr(loading, "CHECK_EVERY_S", 0.0)      # the kiosk looks every 30 s; here at every tick
    offers = tmp_path / "offers.toml"
    shutil.copy(ROOT / "config" / "offers.toml", offers)
    path = tmp_path / "station.toml"
    path.write_text(STATION.format(data_dir=tmp_path / "data", port=1, offers=offers, extra=""), encoding="utf-8")
    app = KioskApp(config_mod.load(path), size=(800, 480), connect=False)

    def titles():
        return {o.text("title", "de") for o in app.offers}

    with Driver(app).start() as driver:
        assert driver.until(lambda: "Kostenloses Yoga" in titles(), 10)
        file = OffersFile(offers)
        snapshot = file.read()
        entry = snapshot.entry("yoga")
        entry["title"]["de"] = "Yoga im Park"
        file.save(entry, snapshot.digest, "yoga")                 # as the staff console writes it
        assert driver.until(lambda: "Yoga im Park" in titles(), 15), "the kiosk did not notice the new offers.toml"
        assert "Kostenloses Yoga" not in titles()

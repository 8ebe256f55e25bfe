"""The overview page in-process: what it says about the Pi from the station's health."""

from __future__ import annotations

from kiosk.station.health import Health

from .conftest import console_section
from .test_security import log_in


def test_the_overview_says_what_the_pi_itself_needs(make_config, app_for):
    config = make_config(extra=console_section(8443))
    health = Health("2026-12-02T10:00:00Z", {"garden": "online"}, disk_free_mb=120, mem_available_mb=200,
                    uptime_s=100, cpu_temp_c=51.2, throttled=0x50005, last_backup="2026-12-01T02:15:00.000000Z")
    app, *_ = app_for(config, health=health)
    client = app.test_client()
    log_in(client)
    page = client.get("/").get_data(as_text=True)
    assert "zu schwach – nimm ein stärkeres Netzteil" in page
    assert "120 MB" in page and "51 °C" in page
    assert "01.12. 03:15" in page                  # the backup in the station's time (Europe/Berlin)

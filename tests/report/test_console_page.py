"""The console's "Bericht" page: last month at once, its PDF one click away, any query answered plainly."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.console.conftest import PASSWORD, STAFF, console_section, log_in
from tests.report import month

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def staff_client(app):
    staff = app.test_client()
    staff.post("/login", data={"csrf_token": TOKEN.search(staff.get("/login").get_data(as_text=True)).group(1),
                               "username": STAFF, "password": PASSWORD})
    return staff


def test_the_page_previews_the_month_and_offers_both_downloads(make_config, app_for):
    config = make_config(extra=console_section(8443))
    month.play(config)
    app, _, _ = app_for(config)
    staff = staff_client(app)
    page = staff.get("/report?month=2026-11&kind=month").get_data(as_text=True)
    assert "Bericht: November 2026" in page
    assert re.search(r"Ausleihen</th><td>5 ", page) and re.search(r"Trockene Tage</th><td>3 von 30", page)
    pdf = staff.get("/report.pdf?month=2026-11&kind=month")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert 'filename="bericht-2026-11.pdf"' in pdf.headers["Content-Disposition"]
    table = staff.get("/report.csv?month=2026-11&kind=quarter")
    assert "4. Quartal 2026" in table.get_data(as_text=True)
    assert staff.application.test_client().get("/report").status_code == 302        # not logged in: to login


def test_any_query_gets_a_page_or_one_plain_refusal(make_config, app_for):
    config = make_config(extra=console_section(8443))
    app, _, _ = app_for(config)
    staff = staff_client(app)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=40) | st.sampled_from(["2026-11", "2026-13", "0000-01", "2026-1"]),
           st.text(max_size=10) | st.sampled_from(["month", "quarter", "year"]),
           st.sampled_from(["/report", "/report.csv"]))
    def one(month_text, kind, path):
        response = staff.get(path, query_string={"month": month_text, "kind": kind})
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            assert "Monat" in response.get_data(as_text=True)

    one()


def test_staff_download_last_months_report_in_two_clicks(run_console, page):
    console = run_console()
    log_in(page, console.url)
    page.click("nav >> text=Bericht")                                         # click 1
    assert page.locator("h1").inner_text().startswith("Bericht: ")
    with page.expect_download() as download:
        page.click("#download-pdf")                                           # click 2
    assert download.value.suggested_filename.startswith("bericht-") and \
        download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(4) == b"%PDF"


def test_with_the_booth_on_another_pi_the_page_counts_from_its_summary(make_config, app_for):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk.bus.topics import Topics
    from tests.console.test_live import deliver

    config = make_config(extra=console_section(8443))
    app, _, _ = app_for(config)
    view = app.extensions["station"]
    assert deliver(view, view._summary, Topics.of(config).booth_summary(), {
        "ts": "2026-12-02T10:00:00Z", "active_loans": 4,
        "month": {"loans": 17, "returns": 11, "readers": 6, "new_books": 3}, "overdue": []})
    assert not (config.data_dir / "booth.sqlite").exists()
    this_month = datetime.now(ZoneInfo("Europe/Berlin")).strftime("%Y-%m")
    page = staff_client(app).get(f"/report?month={this_month}&kind=month").get_data(as_text=True)
    assert re.search(r"Ausleihen</th><td>17 ", page), page[:3000]

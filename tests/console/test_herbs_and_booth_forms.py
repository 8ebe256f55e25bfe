"""The Kräuterbeet and Bücherzelle pages in-process: any form input gets one clear answer and
changes nothing; the plot is drawn from the garden's series, its dry stretches marked."""

from __future__ import annotations

import json
import re
import time

from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.bus import Message
from kiosk.clock import iso_from_epoch
from kiosk.console.herbs import plot
from kiosk.garden.messages import History, HistoryPoint

from .conftest import PASSWORD, STAFF, console_section

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
anything = st.text(max_size=300) | st.sampled_from(["", "1", "17", "bed-1", "dry", "wet", "books", "cards", "off",
                                                    "no", "Lesefuchs 1", "-1", "9" * 40, "١٧", "\0", "<b>x</b>"])
FORMS = {"/herbs/calibrate": ("node", "point"), "/booth/block": ("card", "blocked"),
         "/booth/title": ("book", "title"), "/booth/register": ("mode", "blocked")}
SUMMARY = {"ts": "2026-12-02T10:00:00Z", "active_loans": 2, "month": {"loans": 5, "returns": 3, "readers": 2,
                                                                       "new_books": 1},
           "overdue": [{"book": {"id": 3, "title": "<script>alert(1)</script>"}, "card": "Lesefuchs 1",
                        "due": "2026-11-20T10:00:00Z"}],
           "untitled": [{"id": 17}], "blocked": [{"card": "Bücherwurm 2"}]}


def logged_in(make_config, app_for):
    config = make_config(extra=console_section(8443))
    app, accounts, _ideas = app_for(config)
    staff = app.test_client()
    staff.post("/login", data={"csrf_token": TOKEN.search(staff.get("/login").get_data(as_text=True)).group(1),
                               "username": STAFF, "password": PASSWORD})
    return config, app, accounts, staff


def test_the_herb_and_booth_forms_survive_any_input(make_config, app_for):
    config, app, accounts, staff = logged_in(make_config, app_for)
    view = app.extensions["station"]
    view._summary(Message(view.topics.booth_summary(), json.dumps(SUMMARY).encode()))
    changes_before = len(accounts.changes())

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(form=st.sampled_from(sorted(FORMS)), first=anything, second=anything, extra=anything)
    def one(form, first, second, extra):
        page = "/herbs" if form.startswith("/herbs") else "/booth"
        token = TOKEN.search(staff.get(page).get_data(as_text=True)).group(1)
        names = FORMS[form]
        response = staff.post(form, data={"csrf_token": token, names[0]: first, names[1]: second, "more": extra})
        assert response.status_code == 302
        shown = staff.get(response.headers["Location"]).get_data(as_text=True)
        # No garden or booth answers here: whatever was sent, the page says so in one flash, or
        # why the input was refused, and nothing is recorded as changed.
        assert len(re.findall(r'class="flash error"', shown)) == 1
        assert len(accounts.changes()) == changes_before

    one()


def test_the_booth_page_shows_titles_as_text_and_pseudonyms_only(make_config, app_for):
    _config, app, _accounts, staff = logged_in(make_config, app_for)
    view = app.extensions["station"]
    view._summary(Message(view.topics.booth_summary(), json.dumps(SUMMARY).encode()))
    html = staff.get("/booth").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "Buch 17" in html and "Bücherwurm 2" in html and "Lesefuchs 1" in html


def test_the_plot_marks_the_dry_stretch_and_breaks_at_a_silence():
    now = 1_764_670_000.0
    bucket = 900
    values = [40, 38, 25, 22, 35, 45]                     # two dry buckets in the middle
    points = [HistoryPoint(iso_from_epoch(now - 6 * 3600 + i * bucket), v - 2, v, v + 2, 4)
              for i, v in enumerate(values)]
    points.append(HistoryPoint(iso_from_epoch(now - 2 * 3600), 50, 52, 54, 4))   # after 3 silent hours
    drawn = plot(History("bed-1", "24h", bucket, tuple(points)), "24h", 30, now, "Europe/Berlin")
    assert len(drawn.points) == 7
    assert [dry for _x, _y, dry in drawn.points] == [False, False, True, True, False, False, False]
    assert len(drawn.lines) == 2                           # the silence is not bridged by a line
    assert len(drawn.dry) == 1
    xs = [x for x, _y, _dry in drawn.points]
    assert drawn.dry[0].x < xs[2] < xs[3] < drawn.dry[0].x + drawn.dry[0].width < xs[4]
    assert drawn.points[3][1] > drawn.dry_y > drawn.points[4][1]    # 22 % is below the line, 35 % above


def test_an_empty_plot_still_draws_its_axes():
    drawn = plot(None, "7d", 30, time.time(), "Europe/Berlin")
    assert drawn.points == () and len(drawn.ticks) == 4 and drawn.grid

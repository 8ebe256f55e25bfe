"""The offer form survives any input: one clear answer, never a crash, and offers.toml is either
left exactly as it was or holds a valid offer the kiosk can read. And the feeds' last good read."""

from __future__ import annotations

import re
import shutil

from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.offers import load_catalogue, offers_path, read_offers_file
from kiosk.offers.editing import OffersFile
from tests.offers.test_feeds import HOMEWORK_ICS

from .conftest import PASSWORD, ROOT, STAFF, console_section

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FIELDS = ["title_de", "title_tr", "summary_de", "cost_de", "provider", "place", "contact", "url", "icon",
          "slot_day", "slot_start", "slot_end", "skip", "date_day", "date_start", "date_end",
          "audiences", "topics", "always_open", "free", "retired", "original"]
plausible = st.sampled_from(["", "mo", "so", "Dienstag", "10:00", "23:59", "24:00", "9:5", "2026-12-28", "2026-02-30",
                             "https://batenbrock.de", "javascript:alert(1)", "everyone", "kids", "1", "yoga",
                             "muettercafe", "../etc", "<script>", "\0", "١٢:٠٠", "x" * 400])
value = plausible | st.text(max_size=120)
forms = st.dictionaries(st.sampled_from(FIELDS), st.lists(value, min_size=1, max_size=3), max_size=12)


def logged_in(app):
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"csrf_token": token, "username": STAFF, "password": PASSWORD})
    return client


def test_the_offer_form_survives_any_input(make_config, app_for):
    config = make_config(extra=console_section(8443))
    path = offers_path(config)
    shutil.copy(ROOT / "config" / "offers.toml", path)
    app, accounts, ideas = app_for(config)
    staff = logged_in(app)
    file = OffersFile(path, config.station.timezone)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(form=forms, action=st.sampled_from(["save", "preview", "more", "", "delete"]), stale=st.booleans())
    def one(form, action, stale):
        before = path.read_text(encoding="utf-8")
        page = staff.get("/offers/new").get_data(as_text=True)
        data = dict(form, csrf_token=TOKEN.search(page).group(1), action=action,
                    digest="0" * 64 if stale else file.read().digest)
        response = staff.post("/offers/save", data=data)
        assert response.status_code in (200, 302, 400, 409), response.status_code
        after = path.read_text(encoding="utf-8")
        if response.status_code == 302:
            assert action not in ("preview", "more") and not stale
            read_offers_file(path)                                  # the kiosk reads it (raises if not)
            path.write_text(before, encoding="utf-8")               # the next example starts afresh
        else:
            assert after == before
            assert response.status_code == 200 or 'role="alert"' in response.get_data(as_text=True)

    one()


def test_calendar_feeds_are_listed_with_their_last_good_read(make_config, app_for, tmp_path):
    (tmp_path / "kirche.ics").write_text(HOMEWORK_ICS, encoding="utf-8")
    config = make_config(extra=console_section(8443)
                         + '\n[ui]\ncalendar_feeds = ["kirche.ics", "verein-gibt-es-nicht.ics"]\n')
    shutil.copy(ROOT / "config" / "offers.toml", offers_path(config))
    load_catalogue(config)                      # the kiosk reads the feeds once: one works, one does not
    app, accounts, ideas = app_for(config)
    feeds = logged_in(app).get("/offers").get_data(as_text=True)
    feeds = feeds[feeds.index('id="feeds"'):]
    assert re.search(r"kirche\.ics</span>\s*<span>zuletzt gelesen \d\d\.\d\d\.\d{4} \d\d:\d\d", feeds)
    assert re.search(r"verein-gibt-es-nicht\.ics</span>\s*<span>noch nie gelesen", feeds)


def test_offer_texts_are_shown_as_text_never_as_markup(make_config, app_for):
    config = make_config(extra=console_section(8443))
    shutil.copy(ROOT / "config" / "offers.toml", offers_path(config))
    app, accounts, ideas = app_for(config)
    staff = logged_in(app)
    form = staff.get("/offers/new").get_data(as_text=True)
    saved = staff.post("/offers/save", data={
        "csrf_token": TOKEN.search(form).group(1), "digest": OffersFile(offers_path(config)).read().digest,
        "action": "save", "title_de": "<script>alert(1)</script>", "place": "<img src=x onerror=alert(2)>",
        "always_open": "1"})
    assert saved.status_code == 302
    listing = staff.get("/offers").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing and "<script>" not in listing
    page = staff.get("/offers/script-alert-1-script/edit").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(2)&gt;" in page and "<img" not in page

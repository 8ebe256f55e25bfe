"""„Bücher annehmen“ survives any input: an ISBN, a confirmed book, a typed UID, a cover name —
a clear answer (the form again with one message, or a redirect), never an error page, never
markup from the input, never a UID shown back. (With the booth: tests/booth/test_desk.py.)"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.report.test_console_page import TOKEN, staff_client

from .conftest import console_section

OFFLINE = '\n[desk]\nonline = false\n'          # no look-up leaves the machine: the form stays empty
anything = st.text(max_size=300) | st.sampled_from(
    ["", "9783789142062", "978-3-7891-4206-2", "3-7891-4206-9", "9783789142063", "12345", "X", "<b>x</b>",
     "2015", "7-9", "0", "9" * 40, "١٢", "\0", "04a1b2c3", "04:A1:B2:C3", "x" * 900])


def test_the_desk_forms_survive_any_input(make_config, app_for):
    config = make_config(extra=console_section(8443) + OFFLINE)
    app, accounts, ideas = app_for(config)
    staff = staff_client(app)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(isbn=anything, title=anything, author=anything, publisher=anything, year=anything, age=anything,
           tag=anything)
    def one(isbn, title, author, publisher, year, age, tag):
        token = TOKEN.search(staff.get("/desk").get_data(as_text=True)).group(1)
        looked = staff.post("/desk/isbn", data={"csrf_token": token, "isbn": isbn})
        assert looked.status_code == 302
        page = staff.get(looked.headers["Location"]).get_data(as_text=True)
        assert "<b>x</b>" not in page
        token = TOKEN.search(page).group(1)
        confirmed = staff.post("/desk/book", data={"csrf_token": token, "isbn": isbn, "title": title,
                                                   "author": author, "publisher": publisher, "year": year,
                                                   "age_group": age, "tag": tag})
        # No booth answers here: the form comes back with what is wrong, or that the booth is silent.
        assert confirmed.status_code in (302, 400, 503), confirmed.status_code
        body = confirmed.get_data(as_text=True)
        assert "<b>x</b>" not in body
        assert re.search(r'name="tag" value=""', body) or confirmed.status_code == 302     # never shown back
        staff.get("/desk")                                   # takes the flashed message

    one()


def test_only_a_cover_name_of_13_digits_is_served(make_config, app_for):
    config = make_config(extra=console_section(8443) + OFFLINE)
    app, accounts, ideas = app_for(config)
    covers = Path(config.data_dir) / "covers"
    covers.mkdir(parents=True)
    (covers / "9783789142062.jpg").write_bytes(b"\xff\xd8\xff\xe0 a small jpeg")
    (Path(config.data_dir) / "x.jpg").write_bytes(b"secret")
    stranger = app.test_client()
    assert stranger.get("/desk/cover/9783789142062.jpg").status_code == 302       # to the login
    staff = staff_client(app)
    assert staff.get("/desk/cover/9783789142062.jpg").status_code == 200

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(name=st.text(min_size=1, max_size=60).filter(lambda n: "/" not in n and n not in (".", ".."))
           | st.sampled_from(["..%2Fx.jpg", "978378914206.jpg", "97837891420622.jpg", "9783789142062.png",
                              "9783789142062.jpg\0", "９７８３７８９１４２０６２.jpg"]))
    def one(name):
        response = staff.get("/desk/cover/" + name.replace("\0", "%00"))
        assert response.status_code in (404, 308) or name == "9783789142062.jpg"
        assert b"secret" not in response.get_data()

    one()

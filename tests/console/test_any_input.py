"""The login form and the ideas form survive any input: a clear answer, never a crash or a change."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings, strategies as st

from .conftest import PASSWORD, STAFF, console_section

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
RESULT = {"approve": "approved", "reject": "rejected"}
anything = st.text(max_size=300) | st.sampled_from(["", "1", "approve", "reject", "-1", "9" * 40, "١", "\0", STAFF])


def test_the_login_form_and_the_ideas_form_survive_any_input(make_config, app_for):
    config = make_config(extra=console_section(8443))
    app, accounts, ideas = app_for(config)
    idea = ideas.submit("Ein Bücherregal im Park", "other")
    staff = app.test_client()
    staff.post("/login", data={"csrf_token": TOKEN.search(staff.get("/login").get_data(as_text=True)).group(1),
                               "username": STAFF, "password": PASSWORD})

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(username=anything, password=anything, idea_id=anything, action=anything, extra=anything)
    def one(username, password, idea_id, action, extra):
        stranger = app.test_client()
        token = TOKEN.search(stranger.get("/login").get_data(as_text=True)).group(1)
        login = stranger.post("/login", data={"csrf_token": token, "username": username, "password": password,
                                              "more": extra})
        assert login.status_code in (302, 400, 401)
        assert (login.status_code == 302) == (username.strip() == STAFF and password == PASSWORD)

        token = TOKEN.search(staff.get("/ideas").get_data(as_text=True)).group(1)
        response = staff.post("/ideas", data={"csrf_token": token, "id": idea_id, "action": action, "more": extra})
        assert response.status_code == 302
        meant = idea_id.isascii() and idea_id.isdigit() and int(idea_id) == idea.id and action in RESULT
        assert ideas.get(idea.id).state == (RESULT[action] if meant else "pending")
        if meant:
            ideas.db.execute_write("UPDATE ideas SET state = 'pending' WHERE id = ?", (idea.id,))

    one()

"""The login form and the ideas form survive any input: a clear answer, never a crash or a change."""

from __future__ import annotations

import re
import time

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


def test_the_answer_form_and_the_add_form_survive_any_input(make_config, app_for):
    """Any answer, status, id, text, category, contact, consent or language: a clear answer (a redirect
    or the form again with one message), and nothing changes that the form did not mean to change."""
    from kiosk.ideas.store import CATEGORIES, MAX_ANSWER_CHARS, STATUSES
    from kiosk.text import clean_text

    config = make_config(extra=console_section(8443))
    app, accounts, ideas = app_for(config, clock=time.time)
    idea = ideas.submit("Ein Bücherregal im Park", "other", contact="leser@test", consent=True)
    ideas.moderate(idea.id, "approve")
    staff = app.test_client()
    staff.post("/login", data={"csrf_token": TOKEN.search(staff.get("/login").get_data(as_text=True)).group(1),
                               "username": STAFF, "password": PASSWORD})
    texts = st.text(max_size=1500) | anything | st.sampled_from(["x" * (MAX_ANSWER_CHARS + 1), " \n ", "<b>hi</b>"])
    choices = anything | st.sampled_from(STATUSES + CATEGORIES + ("de", "tr", "yes", "on"))

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(idea_id=anything, status=choices, answer=texts, text=texts, category=choices, contact=texts,
           consent=choices, lang=choices)
    def one(idea_id, status, answer, text, category, contact, consent, lang):
        ideas.db.execute_write("DELETE FROM ideas WHERE id != ?", (idea.id,))   # no rate limit across examples
        before = ideas.get(idea.id)
        token = TOKEN.search(staff.get("/ideas").get_data(as_text=True)).group(1)
        response = staff.post("/ideas/answer", data={"csrf_token": token, "id": idea_id, "status": status,
                                                     "answer": answer})
        assert response.status_code == 302
        now = ideas.get(idea.id)
        meant = idea_id.isascii() and idea_id.isdigit() and int(idea_id) == idea.id and status in STATUSES
        fits = len(answer) <= MAX_ANSWER_CHARS * 4 and len(clean_text(answer)) <= MAX_ANSWER_CHARS
        if meant and fits:
            assert (now.status, now.answer) == (status, clean_text(answer))
        else:
            assert (now.status, now.answer) == (before.status, before.answer)
        staff.get("/ideas")                                  # takes the flashed message

        response = staff.post("/ideas/add", data={"csrf_token": token, "text": text, "category": category,
                                                  "contact": contact, "consent": consent, "lang": lang})
        assert response.status_code in (302, 400)
        added = ideas.pending()
        assert len(added) == (1 if response.status_code == 302 else 0)
        if added:
            assert added[0].category == category and ideas.language_of(added[0].id) in ("", lang)
            assert ideas.contact_of(added[0].id) is None or consent == "yes"     # a contact only with consent
        else:
            assert 'role="alert"' in response.get_data(as_text=True)

    one()

"""The console's "Drucken" page: three prints a click away, mistakes said in plain German, any form answered."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.booth.messages import MonthCounts
from kiosk.bus.broker import free_port
from kiosk.bus.client import Message
from kiosk.staff.accounts import StaffAccounts
from tests.console.conftest import PASSWORD, STAFF, RunningConsole, console_section, log_in
from tests.desk.printing import NEW_DAY, app_for, pdf_text, shelf_config  # noqa: F401

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def staff_client(app):
    staff = app.test_client()
    staff.post("/login", data={"csrf_token": token(staff, "/login"), "username": STAFF, "password": PASSWORD})
    return staff


def token(client, path: str = "/printing") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def test_labels_and_lists_download_as_pdf_and_mistakes_are_said_plainly(shelf_config, app_for, tmp_path):
    app, _, _ = app_for(shelf_config(console_section(8443)))
    staff = staff_client(app)
    page = staff.get("/printing").get_data(as_text=True)
    assert "Etiketten für Bücher" in page and 'aria-current="page">Drucken<' in page
    csrf = token(staff)
    made = staff.post("/printing/labels", data={"csrf_token": csrf, "how": "numbers", "numbers": "1-2, 4",
                                                "sheet": "3475", "start": "3"})
    assert made.status_code == 200 and made.data.startswith(b"%PDF")
    assert re.match(r'attachment; filename="etiketten-\d{4}-\d\d-\d\d\.pdf"', made.headers["Content-Disposition"])
    (tmp_path / "l.pdf").write_bytes(made.data)
    text = " ".join(pdf_text(tmp_path / "l.pdf").split())
    assert "Das Sams" in text and "Nr. 4" in text and "Momo" not in text

    since = staff.post("/printing/labels", data={"csrf_token": csrf, "how": "since", "since": f"{NEW_DAY:%Y-%m-%d}",
                                                 "sheet": "L7160", "start": "1"})
    (tmp_path / "s.pdf").write_bytes(since.data)
    assert "Momo" in pdf_text(tmp_path / "s.pdf")

    for form, said in [({"how": "numbers", "numbers": "5-"}, "Schreib die Nummern so: 17-29, 31"),
                       ({"how": "numbers", "numbers": "7-9"}, "Diese Nummern hat kein Buch: 8, 9."),
                       ({"how": "numbers", "numbers": "1", "start": "25"}, "eine Zahl von 1 bis 24"),
                       ({"how": "numbers", "numbers": "1", "sheet": "A4"}, "Wähl einen Etikettenbogen aus der Liste."),
                       ({"how": "since", "since": "3.11."}, "Gib den Tag so an: 3.11.2026."),
                       ({"how": "numbers", "numbers": "1," * 1500}, "Schreib die Nummern so"),   # no silent cut
                       ({"how": "new"}, "Alle Bücher haben schon ein Etikett.")]:
        if form["how"] == "new":       # the rest have their labels now (1, 2, 4 and 5, 7 above)
            staff.post("/printing/labels", data={"csrf_token": csrf, "how": "numbers", "numbers": "3",
                                                 "sheet": "3474", "start": "1"})
        answer = staff.post("/printing/labels", data={"csrf_token": csrf, "sheet": "3474", "start": "1", **form})
        assert answer.status_code == 400 and said in answer.get_data(as_text=True), form
        assert 'value="' + form.get("numbers", "") + '"' in answer.get_data(as_text=True)     # kept for fixing

    books = staff.post("/printing/books", data={"csrf_token": csrf})
    assert books.data.startswith(b"%PDF") and "buecher-" in books.headers["Content-Disposition"]
    door = staff.post("/printing/overdue", data={"csrf_token": csrf})
    (tmp_path / "d.pdf").write_bytes(door.data)
    assert "Lesefuchs 1" in pdf_text(tmp_path / "d.pdf")

    assert staff.post("/printing/books", data={}).status_code == 400                  # no CSRF token
    assert app.test_client().get("/printing").status_code == 302                      # not logged in: to login
    assert app.test_client().post("/printing/overdue").status_code in (302, 400)


def test_any_form_gets_a_pdf_or_one_plain_refusal(shelf_config, app_for):
    app, _, _ = app_for(shelf_config(console_section(8443)))
    staff = staff_client(app)
    csrf = token(staff)

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(["numbers", "since", "new"]) | st.text(max_size=8),
           st.text(max_size=30) | st.from_regex(r"[0-9 ,\-]{1,12}", fullmatch=True),
           st.text(max_size=12) | st.dates().map(str),
           st.sampled_from(["3474", "3475", "L7160", "l7163"]) | st.text(max_size=8),
           st.text(max_size=5) | st.integers(-5, 30).map(str))
    def one(how, numbers, since, sheet, start):
        answer = staff.post("/printing/labels", data={"csrf_token": csrf, "how": how, "numbers": numbers,
                                                      "since": since, "sheet": sheet, "start": start})
        assert answer.status_code in (200, 400)
        if answer.status_code == 200:
            assert answer.data.startswith(b"%PDF")
        else:
            assert 'role="alert"' in answer.get_data(as_text=True)

    one()


def test_where_the_booth_is_another_pi_the_door_list_comes_from_its_summary(make_config, app_for, tmp_path):
    app, _, _ = app_for(make_config(extra=console_section(8443)))
    staff = staff_client(app)
    page = staff.get("/printing").get_data(as_text=True)
    assert "kleinen Computer der Bücherzelle" in page and 'id="make-labels"' not in page
    answer = staff.post("/printing/overdue", data={"csrf_token": token(staff)})
    assert answer.status_code == 503 and "meldet sich gerade nicht" in answer.get_data(as_text=True)
    view = app.extensions["station"]             # as the booth's retained summary reaches the console
    view._summary(Message(view.topics.booth_summary(), json.dumps({
        "ts": "2026-12-01T10:00:00.000Z", "active_loans": 4, "month": MonthCounts().to_payload(),
        "overdue": [{"book": {"id": 9, "title": "Momo"}, "card": "Leseeule 9", "due": "2026-11-20T10:00:00.000Z"}],
    }).encode()))
    door = staff.post("/printing/overdue", data={"csrf_token": token(staff)})
    assert door.status_code == 200
    (tmp_path / "d.pdf").write_bytes(door.data)
    text = " ".join(pdf_text(tmp_path / "d.pdf").split())
    assert "Momo" in text and "Leseeule 9" in text and "20.11.2026" in text
    assert staff.post("/printing/labels", data={"csrf_token": token(staff), "how": "new"}).status_code == 409
    assert not (app.extensions["config"].data_dir / "booth.sqlite").exists()


def test_staff_print_labels_for_new_books_in_a_browser(shelf_config, page, tmp_path):
    port = free_port()
    config = shelf_config(console_section(port))
    with StaffAccounts.open(config) as accounts:
        accounts.add(STAFF, PASSWORD, by="test")
    console = RunningConsole(config, port, tmp_path / "console.log")
    try:
        log_in(page, console.url)
        page.click("nav >> text=Drucken")
        page.check("input[name=how][value=numbers]")
        page.fill("#numbers", "1-3")
        page.select_option("#sheet", "L7160")
        page.fill("#start", "4")
        with page.expect_download() as download:
            page.click("#make-labels")
        assert download.value.suggested_filename.startswith("etiketten-")
        text = " ".join(pdf_text(download.value.path()).split())
        assert "Pippi Langstrumpf" in text and "Nr. 3" in text
        page.fill("#numbers", "abc")
        page.click("#make-labels")
        assert "Schreib die Nummern so" in page.locator("#problem").inner_text()
        assert page.input_value("#numbers") == "abc"
    finally:
        console.stop()

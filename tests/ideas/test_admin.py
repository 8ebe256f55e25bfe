import json
import subprocess
import sys
from pathlib import Path

from kiosk.ideas import IdeaStore

ROOT = Path(__file__).resolve().parents[2]


def kiosk(config, *args):
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", config.source, "admin", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_staff_list_and_moderate_ideas_from_the_command_line(make_config):
    config = make_config()
    with IdeaStore.open(config) as store:
        first = store.submit("Mehr Mülleimer am Markt", "clean")
        second = store.submit("Ein Bolzplatz", "play", contact="Tel. beim Büro", consent=True)

    listed = kiosk(config, "ideas", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert [(r["id"], r["state"], r["has_contact"]) for r in rows] == [(first.id, "pending", False),
                                                                     (second.id, "pending", True)]
    assert "Tel." not in listed.stdout

    assert kiosk(config, "idea", "approve", str(first.id)).returncode == 0
    done = kiosk(config, "idea", "done", str(first.id))
    assert done.returncode == 0 and "on the public wall" in done.stdout
    assert kiosk(config, "idea", "reject", str(second.id)).returncode == 0

    pending = kiosk(config, "ideas", "--pending", "--json")
    assert json.loads(pending.stdout) == []
    table = kiosk(config, "ideas")
    assert "Mehr Mülleimer am Markt" in table.stdout and "implemented" in table.stdout
    contact = kiosk(config, "idea", "contact", str(second.id))
    assert contact.stdout.strip() == "Tel. beim Büro"

    # The kiosk (another process) sees staff's decisions without a restart.
    with IdeaStore.open(config) as store:
        assert [(i.id, i.status) for i in store.wall()] == [(first.id, "implemented")]


def test_bad_idea_id_gives_one_line_and_exit_2(make_config):
    config = make_config()
    for bad, expected in (("abc", "'abc' is not an idea number"), ("77", "no idea #77")):
        result = kiosk(config, "idea", "approve", bad)
        assert result.returncode == 2
        assert expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def test_staff_add_an_idea_from_paper_and_answer_it(make_config):
    config = make_config()
    added = kiosk(config, "ideas", "add", "--text", "Ein Sandkasten\x1b[2J hinterm Büro", "--category", "play",
                  "--contact", "0176 555", "--consent", "--lang", "uk")
    assert added.returncode == 0, added.stderr
    with IdeaStore.open(config) as store:
        [idea] = store.pending()
        assert idea.text == "Ein Sandkasten hinterm Büro" and idea.has_contact
    assert f"#{idea.id}" in added.stdout

    assert kiosk(config, "idea", "approve", str(idea.id)).returncode == 0
    assert kiosk(config, "idea", "not-possible", str(idea.id)).returncode == 0
    answered = kiosk(config, "idea", "answer", str(idea.id), "--text", "Leider kein Platz.")
    assert answered.returncode == 0, answered.stderr
    assert "would like to hear this answer" in answered.stdout
    with IdeaStore.open(config) as store:
        [shown] = store.wall()
        assert (shown.status, shown.answer) == ("not_possible", "Leider kein Platz.")
    assert "Leider kein Platz." in kiosk(config, "ideas").stdout


def test_staff_added_ideas_are_checked_like_the_kiosks(make_config):
    config = make_config()
    for args, expected in ((["--text", "  ", "--category", "play"], "the idea is empty"),
                           (["--text", "Bänke", "--category", "sofa"], "the category is not one of"),
                           (["--text", "Bänke", "--category", "play", "--contact", "x@y.de"], "without consent"),
                           (["--text", "x" * 501, "--category", "play"], "longer than 500")):
        result = kiosk(config, "ideas", "add", *args)
        assert result.returncode == 2 and expected in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    answer_without_text = kiosk(config, "idea", "answer", "1")
    assert answer_without_text.returncode == 2 and "--text" in answer_without_text.stderr
    unknown_verb = kiosk(config, "idea", "maybe", "1")
    assert unknown_verb.returncode == 2 and "'maybe' is not one of" in unknown_verb.stderr
    with IdeaStore.open(config) as store:
        assert store.export_rows() == []


def test_an_answer_from_the_command_line_waits_for_the_console_to_mail_it(make_config):
    config = make_config()
    with IdeaStore.open(config) as store:
        idea = store.submit("Ein Tauschregal", "other", contact="lea@example.org", consent=True, lang="ar")
    answered = kiosk(config, "idea", "answer", str(idea.id), "--text", "Kommt im Juni.")
    assert answered.returncode == 0, answered.stderr
    assert "gets this answer by e-mail" in answered.stdout
    with IdeaStore.open(config) as store:
        [waiting] = store.answer_mails_due()
        assert (waiting.idea.id, waiting.contact, waiting.lang) == (idea.id, "lea@example.org", "ar")
    taken_back = kiosk(config, "idea", "answer", str(idea.id), "--text", "")
    assert taken_back.returncode == 0, taken_back.stderr
    with IdeaStore.open(config) as store:
        assert store.answer_mails_due() == [] and store.waiting_answer_mails() == {}

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

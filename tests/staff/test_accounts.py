"""Staff accounts: scrypt passwords, lock-out, sessions, the audit log — on a real SQLite file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.errors import BadValue, NotFoundError
from kiosk.staff.accounts import LOCKOUT_S, MAX_FAILURES, StaffAccounts

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def accounts(make_config):
    clock = Clock()
    with StaffAccounts.open(make_config(), clock=clock) as store:
        store.clock_ = clock
        yield store


def test_a_password_is_stored_only_as_a_salted_scrypt_hash(accounts):
    accounts.add("anna", "Kräuterbeet-2024", by="test")
    accounts.add("ben", "Kräuterbeet-2024", by="test")
    hashes = [row[0] for row in accounts.db.rows("SELECT hash FROM accounts")]
    assert all(h.startswith("scrypt$") and "Kräuterbeet" not in h for h in hashes)
    assert hashes[0] != hashes[1]                         # salted
    assert accounts.login("anna", "Kräuterbeet-2024").ok and not accounts.login("anna", "kräuterbeet-2024").ok


def test_the_sixth_try_after_five_wrong_ones_is_refused_even_when_right(accounts):
    accounts.add("anna", "Kräuterbeet-2024", by="test")
    results = [accounts.login("anna", f"falsch-{i}-falsch") for i in range(MAX_FAILURES)]
    assert [r.locked_for_s > 0 for r in results] == [False] * (MAX_FAILURES - 1) + [True]
    assert not accounts.login("anna", "Kräuterbeet-2024").ok
    accounts.clock_.now += LOCKOUT_S + 1
    assert accounts.login("anna", "Kräuterbeet-2024").ok
    assert "gesperrt" in accounts.changes()[0].what


def test_a_new_password_ends_every_session_and_lifts_the_lock(accounts):
    accounts.add("anna", "Kräuterbeet-2024", by="test")
    session = accounts.login("anna", "Kräuterbeet-2024").session
    for i in range(MAX_FAILURES):
        accounts.login("anna", "falsch-falsch")
    accounts.set_password("anna", "Neues-Passwort-2025", by="kiosk admin")
    assert accounts.session_user(session) is None
    assert accounts.login("anna", "Neues-Passwort-2025").ok


def test_bad_names_and_short_passwords_are_refused_and_change_nothing(accounts):
    for name, password in (("Anna Müller", "Kräuterbeet-2024"), ("", "Kräuterbeet-2024"), ("anna", "kurz")):
        with pytest.raises(BadValue):
            accounts.add(name, password, by="test")
    assert accounts.accounts() == []
    with pytest.raises(NotFoundError):
        accounts.remove("niemand", by="test")


def test_removing_an_account_ends_its_sessions(accounts):
    accounts.add("anna", "Kräuterbeet-2024", by="test")
    session = accounts.login("anna", "Kräuterbeet-2024").session
    accounts.remove("anna", by="test")
    assert accounts.session_user(session) is None


def kiosk(config, *args, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "kiosk", "--config", config.source, "admin", "staff", *args],
                          input=stdin, capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_kiosk_admin_staff_add_list_password_remove(make_config):
    config = make_config()
    added = kiosk(config, "add", "anna", "--password-stdin", stdin="Kräuterbeet-2024\n")
    assert added.returncode == 0, added.stderr
    listed = kiosk(config, "list")
    assert "anna" in listed.stdout and "Kräuterbeet" not in listed.stdout
    short = kiosk(config, "password", "anna", "--password-stdin", stdin="kurz\n")
    assert short.returncode == 2 and short.stderr.count("\n") == 1 and "10 to 200 characters" in short.stderr
    assert kiosk(config, "password", "anna", "--password-stdin", stdin="Neues-Passwort-2025\n").returncode == 0
    with StaffAccounts.open(config) as accounts:
        assert accounts.login("anna", "Neues-Passwort-2025").ok
        assert [c.what for c in accounts.changes()][:2] == ["Passwort von anna geändert", "Zugang anna angelegt"]
    missing = kiosk(config, "remove", "bob")
    assert missing.returncode == 2 and "bob" in missing.stderr and "Traceback" not in missing.stderr
    assert kiosk(config, "remove", "anna").returncode == 0
    assert "No staff accounts" in kiosk(config, "list").stdout

"""Staff notices never stop silently: each channel on its own, failures shown, mails that pass filters.

kiosk garden runs in-process against the test broker; mail goes to a real SMTP server
with STARTTLS and login, pushes to a local stand-in for ntfy (tests/garden/staff_inbox.py).
"""

from __future__ import annotations

import email.utils

import pytest

from kiosk.garden import notify

from .staff_inbox import PASSWORD, HangingMailServer, MailInbox, PushInbox, wait_until
from .test_garden_service import DRY_RAW, WET_RAW, publisher, send

FAULTS = "batenbrock/test-1/garden/faults"
START = 1_800_000_000.0       # 2027-01-15 08:00 UTC, 09:00 in Berlin


@pytest.fixture
def push():
    inbox = PushInbox().start()
    yield inbox
    inbox.stop()


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(notify, "RETRY_MIN_S", 0.2)


def started(mail: MailInbox) -> MailInbox:
    mail.start()
    return mail


def test_a_password_with_sharp_s_logs_in_and_mail_and_push_both_go_out(broker, make_config, run_garden,
                                                                         tmp_path, push):
    mail = started(MailInbox(tmp_path, password="Gießkanne1"))
    try:
        config = make_config(broker.port, extra=mail.config_toml() + push.config_toml())
        run_garden(config)
        node = publisher(config)
        send(node, config, [DRY_RAW] * 3)
        wait_until(lambda: mail.messages and push.pushes, what="the dry notice by mail and by push")
        assert mail.logins == ["kiosk"]
        assert mail.subjects() == ["Kräuterbeet: Bitte gießen"]
        node.stop()
    finally:
        mail.stop()


def test_the_push_title_reaches_the_phone_as_written(broker, make_config, run_garden, push):
    config = make_config(broker.port, extra=push.config_toml())
    run_garden(config)
    node = publisher(config)
    send(node, config, [DRY_RAW] * 3)
    wait_until(lambda: push.pushes, what="the dry push")
    assert push.titles() == ["Kräuterbeet: Bitte gießen"]     # decoded as ntfy decodes it
    assert push.pushes[0]["body"].startswith("Die Erde im Kräuterbeet ist trocken")
    node.stop()


def test_a_refused_login_is_shown_to_staff_the_push_still_goes_and_mail_follows_once_fixed(
        broker, make_config, run_garden, watch, tmp_path, push, fast_retries):
    mail = started(MailInbox(tmp_path, password="das-neue-passwort"))   # changed on the server, not here
    try:
        config = make_config(broker.port, extra=mail.config_toml(password=PASSWORD) + push.config_toml())
        faults = watch(config, FAULTS)
        run_garden(config)
        node = publisher(config)
        send(node, config, [DRY_RAW] * 3)
        wait_until(lambda: push.pushes, what="the push, while mail fails")
        fault = faults.wait_for(FAULTS, lambda p: "notify" in p["faults"])["faults"]["notify"]
        assert fault["message"].startswith("E-Mails gehen seit ")
        assert "Anmeldung abgelehnt. Prüfe username und password" in fault["message"]
        assert mail.messages == []

        mail.password = PASSWORD                                     # the office fixes the account
        wait_until(lambda: mail.messages, timeout=30, what="the mail once the login works")
        faults.wait_for(FAULTS, lambda p: p["faults"] == {})
        assert mail.subjects() == ["Kräuterbeet: Bitte gießen"] and len(push.pushes) == 1
        node.stop()
    finally:
        mail.stop()


def test_a_hanging_mail_server_does_not_hold_back_the_push(broker, make_config, run_garden, push, monkeypatch):
    monkeypatch.setattr(notify, "SEND_TIMEOUT_S", 120)
    hanging = HangingMailServer()
    try:
        config = make_config(broker.port, extra=hanging.config_toml() + push.config_toml())
        running = run_garden(config)
        node = publisher(config)
        send(node, config, [DRY_RAW] * 3)
        wait_until(lambda: push.pushes, what="the push while the mail server hangs")
        assert running.store.pending_notices("email")           # the mail still waits for its server
        node.stop()
    finally:
        hanging.stop()


def test_a_push_url_without_scheme_neither_stops_the_mail_nor_goes_unnoticed(
        broker, make_config, run_garden, watch, tmp_path, fast_retries):
    mail = started(MailInbox(tmp_path))
    try:
        config = make_config(broker.port, extra=mail.config_toml()
                             + '[garden.notify.ntfy]\nurl = "ntfy.sh/batenbrock-beet"\n')
        faults = watch(config, FAULTS)
        run_garden(config)
        node = publisher(config)
        send(node, config, [DRY_RAW] * 3)
        fault = faults.wait_for(FAULTS, lambda p: "notify" in p["faults"])["faults"]["notify"]
        assert fault["message"].startswith("Push-Nachrichten gehen seit ")
        assert "https://" in fault["message"]
        send(node, config, [WET_RAW] * 3, start_seq=3)
        wait_until(lambda: len(mail.messages) == 2, what="the dry mail and the all-clear mail")
        assert mail.subjects() == ["Kräuterbeet: Bitte gießen", "Kräuterbeet: Alles wieder gut"]
        node.stop()
    finally:
        mail.stop()


def test_every_recipient_the_server_can_reach_gets_the_mail_and_the_others_are_reported(
        broker, make_config, run_garden, watch, tmp_path, fast_retries):
    mail = started(MailInbox(tmp_path, recipients=["team@test", "gärtnerin@test", "weg@test", "beet@gärtnerei.test"]))
    mail.refuse.add("weg@test")                     # the mailbox was deleted
    try:
        config = make_config(broker.port, extra=mail.config_toml())
        faults = watch(config, FAULTS)
        running = run_garden(config)
        node = publisher(config)
        send(node, config, [DRY_RAW] * 3)
        wait_until(lambda: running.store.notice_count() == 1 and not running.store.pending_notices("email"),
                   timeout=30, what="the notice done with")
        assert len(mail.received_by("team@test")) == 1
        assert len(mail.received_by("beet@xn--grtnerei-0za.test")) == 1   # umlaut domain as IDNA
        assert mail.received_by("team@test")[0]["To"] == "team@test"      # each mail names its own recipient
        fault = faults.wait_for(FAULTS, lambda p: "notify" in p["faults"])["faults"]["notify"]
        assert "gärtnerin@test" in fault["message"] and "weg@test" in fault["message"]
        assert "team@test" not in fault["message"]

        send(node, config, [WET_RAW] * 3, start_seq=3)                   # the next notice: no repeats
        wait_until(lambda: len(mail.received_by("team@test")) == 2, what="the all-clear mail")
        assert [m["Subject"] for m in mail.received_by("team@test")] == ["Kräuterbeet: Bitte gießen",
                                                                          "Kräuterbeet: Alles wieder gut"]
        assert len(mail.messages) == 4
        node.stop()
    finally:
        mail.stop()


def test_the_dry_mail_says_when_it_was_measured_and_how_to_stop_reminders(broker, make_config, run_garden,
                                                                          tmp_path):
    mail = started(MailInbox(tmp_path))
    try:
        config = make_config(broker.port, extra=mail.config_toml())
        now = [START]
        run_garden(config, clock=lambda: now[0])
        node = publisher(config)
        send(node, config, [DRY_RAW] * 3, stamped=False)
        wait_until(lambda: mail.messages, what="the dry mail")
        message = mail.messages[0]
        # What spam filters look for.
        assert email.utils.parsedate_to_datetime(message["Date"]) is not None
        assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@test>")
        text = message.get_content()
        assert "gemessen am 15.01.2027 um 09:00 Uhr" in text
        assert "„Gesehen“" in text and "Keine Erinnerungen mehr?" in text
        node.stop()
    finally:
        mail.stop()


def test_the_silent_sensor_mail_names_the_last_reading_and_fits_the_node(broker, make_config, run_garden,
                                                                        tmp_path):
    mail = started(MailInbox(tmp_path))
    try:
        wifi_bed = ('[[garden.sensors]]\nnode = "bed-2"\nname = "Hochbeet"\nlink = "wifi"\n'
                    "stale_after_s = 1800\n")
        config = make_config(broker.port, stale_after_s=1800, extra=mail.config_toml() + wifi_bed)
        now = [START]
        running = run_garden(config, clock=lambda: now[0])
        node = publisher(config)
        now[0] = START + 600                             # the USB bed's last reading: 09:10 in Berlin
        send(node, config, [WET_RAW], stamped=False)
        wait_until(lambda: running.store.count_readings("bed-1") == 1, what="the reading")
        now[0] = START + 600 + 1800 + 60                 # both noticed silent at 09:41
        wait_until(lambda: len(mail.messages) == 2, what="a silent-sensor mail per bed")
        usb, wifi = sorted(mail.messages, key=lambda m: m["Subject"], reverse=True)
        assert usb["Subject"] == "Kräuterbeet: Der Sensor meldet sich nicht"
        assert "kam seit dem 15.01.2027, 09:10 Uhr kein Messwert" in usb.get_content()
        assert "USB-Kabel" in usb.get_content()
        assert wifi["Subject"] == "Hochbeet: Der Sensor meldet sich nicht"
        assert "kam seit dem 15.01.2027, 09:00 Uhr kein Messwert" in wifi.get_content()   # never heard of
        assert "Akku" in wifi.get_content() and "USB" not in wifi.get_content()
        node.stop()
    finally:
        mail.stop()

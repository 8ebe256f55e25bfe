"""`kiosk demo` starts the console and prints how to log in; `kiosk doctor` checks the console."""

from __future__ import annotations

import re
import subprocess
import sys
import time

from .conftest import ROOT, log_in


def test_the_demo_prints_the_console_address_and_a_login_that_works(tmp_path, page):
    demo = subprocess.Popen([sys.executable, "-m", "kiosk", "demo", "--no-ui", "--duration", "60",
                             "--data", str(tmp_path / "demo")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    try:
        line = demo.stdout.readline()
        while "Staff console" not in line:
            assert line, f"the demo ended without naming the console: {demo.stderr.read()[-2000:]}"
            line = demo.stdout.readline()
        url, name, password = re.search(r"(http://127\.0\.0\.1:\d+)/ — log in as (\w+) with the password (\S+)",
                                        line).groups()
        for _ in range(100):
            try:
                page.goto(url + "/login")
                break
            except Exception:  # noqa: BLE001 — the console process is still starting
                time.sleep(0.2)
        log_in(page, url, name, password)
        assert page.locator("h1").inner_text() == "Wie geht's der Station?"
    finally:
        demo.terminate()
        demo.communicate(timeout=60)
    assert demo.returncode == 0


def test_doctor_checks_a_running_console(run_console, tmp_path):
    console = run_console()
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", console.config.source, "doctor"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert f"ok       staff console answers on http://{console.config.console.listen}/" in result.stdout
    console.stop()
    result = subprocess.run([sys.executable, "-m", "kiosk", "--config", console.config.source, "doctor"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert "staff console" not in result.stdout       # not installed here and not running: nothing to check


def test_doctor_names_an_unusable_certificate_where_the_console_is_installed(make_config, tmp_path):
    from kiosk.doctor import check_console

    config = make_config(extra=f'\n[console]\nlisten = "127.0.0.1:1"\ntls_cert = "{tmp_path}/c.crt"\n'
                               f'tls_key = "{tmp_path}/c.key"\n')
    findings = check_console(config, installed=True)
    assert [f.ok for f in findings] == [False, False]
    assert "certificate" in findings[0].what and "install-pi.sh" in findings[0].fix
    assert "does not answer" in findings[1].what

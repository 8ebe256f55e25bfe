#!/usr/bin/env bash
# Set up this checkout on a fresh Debian / Raspberry Pi OS machine and run it.
#   bash scripts/dev.sh demo   - the whole station on simulated hardware
#   bash scripts/dev.sh test   - every test
#   bash scripts/dev.sh setup  - only install
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(mosquitto mosquitto-clients xvfb xauth espeak-ng fonts-noto-core fonts-noto-ui-core shellcheck libmtdev1 openssl)
# Only for the tests: a Debian machine with systemd as PID 1, in a container
# (tests/deploy/test_under_real_systemd.py builds it with mmdebstrap, boots it with systemd-nspawn).
TEST_APT_PACKAGES=(mmdebstrap systemd-container systemd chromium poppler-utils)   # systemd: systemd-analyze verifies the units; chromium: the console's browser tests; poppler-utils: pdftotext/pdftoppm read the funders' report
VENV=.venv

need_apt() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        echo "==> installing system packages: ${missing[*]}"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    # The demo and tests start their own brokers; the packaged one need not run.
}

need_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        echo "==> creating the Python environment in $VENV"
        python3 -m venv "$VENV"
    fi
    if ! "$VENV/bin/python" -c "import kiosk, paho.mqtt, serial, gpiozero, mfrc522, aiosmtpd, hypothesis" 2>/dev/null \
        || [ pyproject.toml -nt "$VENV/.installed" ]; then
        echo "==> installing Python packages (log: $VENV/install.log)"
        {
            "$VENV/bin/python" -m pip install --upgrade pip &&
            "$VENV/bin/python" -m pip install -e ".[test]" &&
            # mfrc522 is pure Python; off a Pi its RPi.GPIO/spidev imports are met by
            # kiosk.hardware.rfid, so it is installed without those Pi-only packages.
            "$VENV/bin/python" -m pip install --no-deps "mfrc522==0.0.7"
        } >"$VENV/install.log" 2>&1 || { tail -n 30 "$VENV/install.log"; echo "installing failed" >&2; exit 1; }
        touch "$VENV/.installed"
    fi
}

need_micropython() {
    # Real MicroPython (its WebAssembly port, from npm) runs the firmware in the tests.
    if [ ! -d tests/firmware/mpy/node_modules ]; then
        # Debian's npm brings nodejs; where nodejs comes from elsewhere, it has npm already.
        command -v npm >/dev/null || need_apt npm
        echo "==> installing MicroPython for the firmware tests"
        npm ci --prefix tests/firmware/mpy --silent --no-audit --no-fund >/dev/null
    fi
}

command="${1:-demo}"
shift || true
need_apt "${APT_PACKAGES[@]}"
need_venv
case "$command" in
    setup) echo "ready: $VENV/bin/kiosk --help" ;;
    demo)  exec "$VENV/bin/kiosk" demo "$@" ;;
    test)  need_apt "${TEST_APT_PACKAGES[@]}"
           need_micropython
           # Two workers (pytest-xdist), a test file each at a time: many tests wait on brokers,
           # processes and timeouts, so two halve the run on two cores. `-n 0` after it runs in one.
           exec xvfb-run -a -s "-screen 0 1280x1280x24" "$VENV/bin/python" -m pytest -n "${KIOSK_TEST_WORKERS:-2}" --dist loadfile "$@" ;;
    *)     echo "usage: bash scripts/dev.sh [demo|test|setup]" >&2; exit 2 ;;
esac

"""The firmware on real MicroPython 1.27 (its WebAssembly port, run by node).

Needs node and `npm install --prefix tests/firmware/mpy` (or MICROPYTHON_WASM_DIR pointing at a
node_modules holding @micropython/micropython-webassembly-pyscript); skipped otherwise, except
in CI, where scripts/dev.sh installs both.
"""
import os
import subprocess

import pytest

from tests.conftest import require_tool

HERE = os.path.dirname(os.path.abspath(__file__))
MPY = os.path.join(HERE, "mpy")
FIRMWARE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "firmware")
PACKAGE = os.path.join("@micropython", "micropython-webassembly-pyscript")


def wasm_dir():
    for candidate in (os.environ.get("MICROPYTHON_WASM_DIR"), os.path.join(MPY, "node_modules")):
        if candidate and os.path.isdir(os.path.join(candidate, PACKAGE)):
            return candidate
    return None


@pytest.fixture(autouse=True)
def real_micropython():
    require_tool("node", "apt-get install npm, which brings nodejs")
    require_tool("MicroPython for WebAssembly", "npm install --prefix tests/firmware/mpy",
                 present=wasm_dir() is not None)


def run_on_micropython(script, board):
    env = dict(os.environ, MICROPYTHON_WASM_DIR=wasm_dir())
    result = subprocess.run(
        ["node", os.path.join(MPY, "run.mjs"), os.path.join(MPY, script), MPY,
         os.path.join(FIRMWARE, "common"), os.path.join(FIRMWARE, board)],
        capture_output=True, text=True, timeout=120, env=env)
    return result.returncode, result.stdout + result.stderr


def test_pico_firmware_on_micropython():
    code, output = run_on_micropython("check_pico.py", "pico")
    assert code == 0 and "pico ok" in output, output


def test_esp32_firmware_on_micropython():
    code, output = run_on_micropython("check_esp32.py", "esp32")
    assert code == 0 and "esp32 ok" in output, output

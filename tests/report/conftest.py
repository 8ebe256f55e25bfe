"""A station's data dir with a scripted November (tests/report/month.py) and the tools to read a PDF."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import require_tool
# The console's fixtures, for the "Bericht" page: its app in-process and a real console (chromium and page
# come from tests/conftest.py).
from tests.console.conftest import app_for, console_config, run_console  # noqa: F401
from tests.report import month


@pytest.fixture
def november(make_config):
    config = make_config(extra=month.UI)
    month.play(config)
    return config


def pdf_text(path) -> str:
    require_tool("pdftotext", "apt-get install -y poppler-utils", present=shutil.which("pdftotext") is not None)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_pages(path, out_prefix) -> list:
    require_tool("pdftoppm", "apt-get install -y poppler-utils", present=shutil.which("pdftoppm") is not None)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(out_prefix)], check=True)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))

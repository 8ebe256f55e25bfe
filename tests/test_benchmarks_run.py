"""Every benchmark still runs (in its quick mode) and reports a ratio against its baseline.

The figures of a quick run mean nothing and are not checked; timing belongs in bench/, not here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("bench_*.py")))
def test_benchmark_runs_in_quick_mode_and_prints_its_goal(script):
    result = subprocess.run([sys.executable, str(BENCH / script), "--quick"], capture_output=True, text=True,
                            timeout=180, cwd=BENCH.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout.lower()
    assert "ratio" in output or "×" in output or " x " in output
    assert "met" in output or "missed" in output

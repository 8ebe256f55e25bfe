"""Every benchmark still runs (in its quick mode), reports a ratio against its baseline and
ends each goal with a verdict line (bench/common.py `verdict`).

The figures of a quick run mean nothing and are not checked; timing belongs in bench/, not here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
VERDICT = re.compile(r"goal: \S.* -> (MET|MISSED)")


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("bench_*.py")))
def test_benchmark_runs_in_quick_mode_and_prints_its_goal(script):
    result = subprocess.run([sys.executable, str(BENCH / script), "--quick"], capture_output=True, text=True,
                            timeout=180, cwd=BENCH.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout.lower()
    assert "ratio" in output or "×" in output or " x " in output
    lines = result.stdout.splitlines()
    verdicts = [line for line in lines if VERDICT.fullmatch(line)]
    assert verdicts, f"no verdict line (goal: … -> MET|MISSED) in:\n{result.stdout[-3000:]}"
    # Only verdict lines may say MET or MISSED, so a reader (and this test) finds them all.
    assert [line for line in lines if re.search(r"\b(MET|MISSED)\b", line) and line not in verdicts] == []

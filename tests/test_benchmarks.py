"""The benchmark script keeps working (its figures are read by people, never asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_the_benchmark_runs_on_the_smallest_size(tmp_path: Path) -> None:
    figures = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--sizes", "1",
         "--json", str(figures)],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "policygen check (everything), cold cache" in result.stdout
    assert "preview: save → updated page" in result.stdout
    results = json.loads(figures.read_text("utf-8"))
    assert set(results) >= {"check vs check-jsonschema", "build overhead", "growth",
                            "preview latency", "cores"}
    assert results["growth"]["1"]["build"] > 0
    assert results["preview latency"]["preview_seconds"]["1"] > 0

"""Benchmarks: policygen against what users would otherwise run, on this machine, in one run.

Compared commands alternate run by run, so that noise from a shared machine hits both alike;
figures are medians of wall-clock times of whole processes (start-up included), and the ratios
are what the targets speak of. Prints a table and writes the same figures as JSON.

policygen's bytecode is compiled first, as pip compiles a wheel's when it installs it: the
libraries compared with come compiled, and an editable install under PYTHONDONTWRITEBYTECODE
(set on the machines here) would otherwise compile policygen from source on every run.

    python benchmarks/run.py                 # everything (a few minutes)
    python benchmarks/run.py --quick         # smallest sizes, one run each: proves it still works
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "generator"))

from policygen.model.policy import policy_from_data  # noqa: E402
from policygen.plan.site import plan_site  # noqa: E402
from policygen.render.disclosure import disclosure, to_json_bytes  # noqa: E402
from policygen.source.archive import SUMS, sha256  # noqa: E402
from policygen.source.loader import parse_source  # noqa: E402
from policygen.source.project import Project, today_from_environment  # noqa: E402
from policygen.source.project_files import read_project  # noqa: E402
from policygen.source.schemas import parse_schemas  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SITE_URL = "https://policies.qualsights.com/"
PROJECT_PARTS = ("mkdocs.yml", "schema", "site-overrides", "policy")


def run(command: list[str], cwd: Path, cache: Path | None = None) -> float:
    """Seconds to run ``command``; its policygen cache is ``cache`` (a fresh one if None)."""
    cache = cache or Path(tempfile.mkdtemp(prefix="cache-", dir=cwd.parent))
    env = {**ENV, "POLICYGEN_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return elapsed


def alternate(commands: dict[str, Callable[[], float]], runs: int) -> dict[str, float]:
    """Median seconds of each command, the commands taking turns run by run."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(command())
    return {name: statistics.median(values) for name, values in times.items()}


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copy2(source, destination / part)
    return destination


def plain_project(project: Path, destination: Path) -> Path:
    """The same site as plain files: the generated Markdown and JSON, and no plugin."""
    _, outputs = plan_site(read_project(Project.at(project)), SITE_URL, today_from_environment())
    docs = destination / "docs"
    for output in outputs:
        path = docs / output.path
        path.parent.mkdir(parents=True, exist_ok=True)
        content = output.content
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    shutil.copytree(project / "site-overrides", destination / "site-overrides")
    config = (project / "mkdocs.yml").read_text("utf-8")
    config = config.replace("docs_dir: policy", "docs_dir: docs").replace("  - policygen\n", "")
    config = config.replace("strict: true", "strict: false")
    nav = [{output.title: output.path} for output in outputs if output.title]
    (destination / "mkdocs.yml").write_text(config + "\nnav: " + json.dumps(nav) + "\n", "utf-8")
    return destination


def mkdocs_build(project: Path, strict: bool = True, cache: Path | None = None) -> float:
    return run([PYTHON, "-m", "mkdocs", "build", "-q", *(["--strict"] if strict else [])],
               project, cache)


# --- 1. check against check-jsonschema ------------------------------------------------------

def bench_check(work: Path, runs: int) -> dict[str, Any]:
    project = copy_project(work / "check")
    warm = work / "check-cache"
    mkdocs_build(project, cache=warm)
    site = project / "site"
    medians = alternate({
        "policygen check": lambda: run([str(BIN / "policygen"), "check"], project),
        "policygen check, warm cache": lambda: run([str(BIN / "policygen"), "check"], project,
                                                   warm),
        "check-jsonschema": lambda: run(
            [str(BIN / "check-jsonschema"), "--schemafile",
             str(site / "schema/disclosure/v1.json"), str(site / "disclosures/do-not-sell.json")],
            project),
    }, runs)
    return {**medians, "ratio": medians["policygen check"] / medians["check-jsonschema"],
            "ratio warm": medians["policygen check, warm cache"] / medians["check-jsonschema"],
            "target": 0.75}


# --- 2. build overhead ------------------------------------------------------------------------

def bench_build(work: Path, runs: int) -> dict[str, Any]:
    counter = iter(range(10**6))

    def fresh_with_plugin() -> float:
        return mkdocs_build(copy_project(work / f"fresh-{next(counter)}"))

    plain = plain_project(ROOT, work / "plain")
    rebuilt = copy_project(work / "rebuilt")
    warm = work / "rebuild-cache"
    mkdocs_build(rebuilt, cache=warm)
    medians = alternate({
        "plugin, clean checkout": fresh_with_plugin,
        "plugin, rebuild": lambda: mkdocs_build(rebuilt, cache=warm),
        "plain Markdown, no plugin": lambda: mkdocs_build(plain, strict=False),
    }, runs)
    plain_time = medians["plain Markdown, no plugin"]
    return {
        **medians,
        "ratio clean checkout": medians["plugin, clean checkout"] / plain_time,
        "ratio rebuild": medians["plugin, rebuild"] / plain_time,
        "targets": {"clean checkout": 1.25, "rebuild": 1.10},
    }


# --- 3. growth --------------------------------------------------------------------------------

def synthetic_project(destination: Path, versions: int, policies: int = 20) -> Path:
    """``policies`` policies sharing ``versions`` released versions round robin, each version a
    reworded patch of the one before; the archive written as ``policygen release`` writes it."""
    project = copy_project(destination)
    config = project / "mkdocs.yml"  # policies without a release only warn: build them anyway
    config.write_text(config.read_text("utf-8").replace("strict: true", "strict: false"), "utf-8")
    (project / "policy" / "do-not-sell.yaml").unlink()
    shutil.rmtree(project / "policy" / "releases")
    template = (ROOT / "policy" / "do-not-sell.yaml").read_text("utf-8")
    schemas, _ = parse_schemas(read_project(Project.at(project)))
    assert schemas is not None
    vocabulary = schemas.vocabulary
    archive = project / "policy" / "releases"
    sums: dict[str, str] = {}
    counts = [versions // policies + (1 if i < versions % policies else 0) for i in range(policies)]
    for number, count in enumerate(counts):
        policy_id = f"policy-{number:02d}"
        for patch in range(max(count, 1)):
            text = (template.replace("id: do-not-sell", f"id: {policy_id}")
                    .replace("version: 1.0.0", f"version: 1.0.{patch}")
                    .replace("summary: First published version.", f"summary: Revision {patch}.")
                    .replace("most important thing", f"most important thing (revision {patch})"))
            if patch >= count:  # a policy with no release yet
                break
            source, _ = parse_source(text.encode("utf-8"), f"policy/{policy_id}.yaml")
            assert source is not None
            policy = policy_from_data(source.data, f"policy/{policy_id}.yaml")
            files = {f"{policy_id}/1.0.{patch}.json":
                     to_json_bytes(disclosure(policy, SITE_URL, vocabulary)),
                     f"{policy_id}/1.0.{patch}.yaml": text.encode("utf-8")}
            for name, content in files.items():
                (archive / name).parent.mkdir(parents=True, exist_ok=True)
                (archive / name).write_bytes(content)
                sums[name] = sha256(content)
        (project / "policy" / f"{policy_id}.yaml").write_text(text, "utf-8")
    archive.mkdir(parents=True, exist_ok=True)
    (archive / SUMS).write_text(
        "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())), "utf-8"
    )
    return project


def bench_growth(work: Path, sizes: list[int], runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for size in sizes:
        project = synthetic_project(work / f"growth-{size}", size)
        plain = plain_project(project, work / f"growth-{size}-plain")
        warm = work / f"growth-{size}-cache"
        mkdocs_build(project, strict=False, cache=warm)
        medians = alternate({
            "check": lambda project=project: run([str(BIN / "policygen"), "check"], project),
            "check, warm cache": lambda project=project, warm=warm: run(
                [str(BIN / "policygen"), "check"], project, warm),
            "build": lambda project=project, warm=warm: mkdocs_build(project, False, warm),
            # As from a clean checkout: a fresh, empty cache every run.
            "build, cold cache": lambda project=project: mkdocs_build(project, False),
            "build without plugin": lambda plain=plain: mkdocs_build(plain, strict=False),
        }, runs)
        medians["plugin share"] = max(0.0, 1 - medians["build without plugin"] / medians["build"])
        medians["plugin share, cold cache"] = max(
            0.0, 1 - medians["build without plugin"] / medians["build, cold cache"]
        )
        results[str(size)] = medians
    if len(sizes) > 1:
        first, last = str(sizes[-2]), str(sizes[-1])
        added = sizes[-1] - sizes[-2]
        results["check seconds per added version"] = (
            (results[last]["check"] - results[first]["check"]) / added
        )
        results["build seconds per added version"] = (
            (results[last]["build"] - results[first]["build"]) / added
        )
    results["targets"] = {"check at 1000 versions": 1.0, "plugin share at 100 and 1000": 0.10}
    return results


# --- 4. preview latency ---------------------------------------------------------------------

def bench_preview(work: Path, sizes: list[int], runs: int) -> dict[str, Any]:
    """Save → updated page under ``mkdocs serve``, for the growth fixtures of ``sizes`` released
    versions (the edited policy's page is the one waited for). One server per size runs
    throughout, and the saves take turns, size by size, as the other figures do."""
    with contextlib.ExitStack() as servers:
        previews = [_Preview(synthetic_project(work / f"preview-{size}", size), "policy-00/")
                    for size in sizes]
        for preview in previews:
            servers.enter_context(preview)
        every: dict[str, list[float]] = {str(size): [] for size in sizes}
        for attempt in range(runs):
            for size, preview in zip(sizes, previews, strict=True):
                every[str(size)].append(preview.latency(attempt))
    seconds = {size: statistics.median(latencies) for size, latencies in every.items()}
    return {"preview_seconds": seconds, "all": every, "target": 1.0,
            "target ratio, largest to smallest": 1.5}


class _Preview:
    """A project served by ``mkdocs serve`` (on 127.0.0.1), and the page that shows a save."""

    def __init__(self, project: Path, page: str) -> None:
        self.project, self.source = project, project / "policy" / (page.rstrip("/") + ".yaml")
        self.original = self.source.read_text("utf-8")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/{page}"

    def __enter__(self) -> _Preview:
        self.server = subprocess.Popen(
            [PYTHON, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{self.port}"],
            cwd=self.project,
            env={**ENV, "POLICYGEN_CACHE_DIR": str(self.project.parent / "preview-cache")},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for(self.url, "most important thing", 300)
        return self

    def latency(self, attempt: int) -> float:
        """Seconds from a save to the page showing it."""
        marker = f"most important thing {attempt}x"
        time.sleep(0.5)
        start = time.perf_counter()
        self.source.write_text(self.original.replace("most important thing", marker, 1), "utf-8")
        _wait_for(self.url, marker, 60)
        return time.perf_counter() - start

    def __exit__(self, *exception: object) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)
        self.source.write_text(self.original, "utf-8")


def _wait_for(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} never showed {text!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smallest sizes, one run each (for the test that keeps this alive)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure")
    parser.add_argument("--sizes", type=int, nargs="+", default=None,
                        help="released versions of the growth figures (default: 1 10 100 1000)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json",
                        help="where to write the figures (default: benchmarks/results.json)")
    arguments = parser.parse_args()
    runs = arguments.runs or (1 if arguments.quick else 7)
    sizes = arguments.sizes or ([1, 10] if arguments.quick else [1, 10, 100, 1000])
    results: dict[str, Any] = {"cores": os.cpu_count(), "python": sys.version.split()[0]}
    compileall.compile_dir(ROOT / "generator" / "policygen", quiet=1)
    with tempfile.TemporaryDirectory(prefix="policygen-bench-") as folder:
        work = Path(folder)
        results["check vs check-jsonschema"] = bench_check(work, runs)
        results["build overhead"] = bench_build(work, runs)
        results["growth"] = bench_growth(work, sizes, 1 if arguments.quick else 5)
        results["preview latency"] = bench_preview(work, sorted({sizes[0], sizes[-1]}), max(runs, 3))
    arguments.json.write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    print(table(results))
    return 0


def table(results: dict[str, Any]) -> str:
    check = results["check vs check-jsonschema"]
    build = results["build overhead"]
    growth = results["growth"]
    preview = results["preview latency"]
    lines = [
        f"policygen benchmarks — {results['cores']} cores, Python {results['python']}, medians",
        "",
        "what                                         seconds   ratio   target",
        f"policygen check (everything), cold cache     {check['policygen check']:7.3f}   "
        f"{check['ratio']:5.2f}x  <= 0.75x of check-jsonschema",
        f"policygen check, warm cache                  "
        f"{check['policygen check, warm cache']:7.3f}   {check['ratio warm']:5.2f}x",
        f"check-jsonschema (one JSON file)             {check['check-jsonschema']:7.3f}",
        f"mkdocs build, plugin, clean checkout         {build['plugin, clean checkout']:7.3f}   "
        f"{build['ratio clean checkout']:5.2f}x  <= 1.25x of plain",
        f"mkdocs build, plugin, rebuild                {build['plugin, rebuild']:7.3f}   "
        f"{build['ratio rebuild']:5.2f}x  <= 1.10x of plain",
        f"mkdocs build, plain Markdown, no plugin      {build['plain Markdown, no plugin']:7.3f}",
        "",
        "growth: 20 policies sharing 1 to 1,000 released versions; check with an empty cache",
        "released versions   check s (warm)    build s   plugin share   (cold cache: build, share)",
    ]
    for size, figures in growth.items():
        if isinstance(figures, dict) and "check" in figures:
            lines.append(f"{size:>17}   {figures['check']:7.3f} ({figures['check, warm cache']:.3f})"
                         f"   {figures['build']:7.3f}   {figures['plugin share']:11.0%}   "
                         f"({figures['build, cold cache']:.3f} s, "
                         f"{figures['plugin share, cold cache']:.0%})")
    if "check seconds per added version" in growth:
        check_cost = growth["check seconds per added version"] * 1000
        build_cost = growth["build seconds per added version"] * 1000
        lines.append(f"cost per added version: check {check_cost:.2f} ms, build {build_cost:.2f} ms "
                     "(target: check <= 1 s at 1,000; plugin share <= 10%)")
    lines += ["", "preview: save → updated page under mkdocs serve (target < 1 s, and the largest "
                  "archive at most 1.5x the smallest)"]
    for size, latency in preview["preview_seconds"].items():
        lines.append(f"{size:>17} released versions   {latency:7.3f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

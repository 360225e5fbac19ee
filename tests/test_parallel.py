"""Released versions re-derived in two processes: the same results as in one, whatever happens
to the helper."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, TODAY
from policygen.doors.cli import CHECK_SITE_URL
from policygen.model.output import Output
from policygen.model.report import as_json
from policygen.plan import parallel
from policygen.plan.planning import plan, problems_only
from policygen.source.project import Project
from policygen.source.project_files import read_project

CI = bool(os.environ.get("CI"))
sys.path.insert(0, str(ROOT / "benchmarks"))


def in_fresh_process(script: str) -> str:
    """Run ``script`` in a new Python process (one thread, as ``policygen check`` runs)."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
        check=False, env={**os.environ, "PYTHONPATH": str(ROOT / "generator")},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def two_cores() -> None:
    found = in_fresh_process("from policygen.plan import parallel; print(parallel.can_share())")
    if found != "True":
        assert not CI, "CI machines have two cores: the helper process must be tried there"
        pytest.skip("one core: nothing is shared")


@pytest.mark.usefixtures("two_cores")
def test_the_second_half_is_done_by_a_helper_with_the_same_results() -> None:
    said = in_fresh_process("""
        import os
        from policygen.plan.parallel import shared_map
        results = shared_map(lambda n: (n * n, os.getpid()), range(300))
        assert [square for square, _ in results] == [n * n for n in range(300)]
        here = os.getpid()
        print(sorted({pid == here for _, pid in results[:150]}),
              sorted({pid == here for _, pid in results[150:]}))
    """)
    assert said == "[True] [False]"


@pytest.mark.usefixtures("two_cores")
def test_what_the_helper_puts_in_the_cache_is_kept(tmp_path: Path) -> None:
    said = in_fresh_process(f"""
        import os
        os.environ["POLICYGEN_CACHE_DIR"] = {str(tmp_path)!r}
        from policygen.plan.parallel import shared_map
        from policygen.source import cache
        cache.put("before", "the parent's")
        def work(n):
            cache.put(f"entry {{n}}", [n, os.getpid()])
            return n
        shared_map(work, range(200))
        cache.flush()
        cache._REMEMBERED.clear()
        found = [cache.get(f"entry {{n}}") for n in range(200)]
        print(all(value is not None and value[0] == n for n, value in enumerate(found)),
              len({{pid for _, pid in found}}), cache.get("before"))
    """)
    assert said == "True 2 the parent's"


@pytest.mark.usefixtures("two_cores")
def test_a_failing_helper_leaves_its_share_to_this_process() -> None:
    said = in_fresh_process("""
        import os
        from policygen.plan.parallel import shared_map
        here = os.getpid()
        def work(n):
            if os.getpid() != here:
                raise RuntimeError("the helper fails")
            return n + 1
        print(shared_map(work, range(200)) == list(range(1, 201)))
        def unpicklable(n):
            return (lambda: n) if os.getpid() != here else n
        print(shared_map(unpicklable, range(200)) == list(range(200)))
    """)
    assert said == "True\nTrue"


@pytest.mark.usefixtures("two_cores")
def test_a_failure_here_ends_the_helper_too() -> None:
    said = in_fresh_process("""
        import os
        from policygen.plan.parallel import shared_map
        here = os.getpid()
        def work(n):
            if os.getpid() == here and n == 10:
                raise ValueError("this process fails")
            return n
        try:
            shared_map(work, range(200))
        except ValueError:
            try:
                os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                print("raised, no helper left")
    """)
    assert said == "raised, no helper left"


def test_with_a_second_thread_nothing_is_forked() -> None:
    said = in_fresh_process("""
        import os, threading
        from policygen.plan.parallel import shared_map
        stop = threading.Event()
        threading.Thread(target=stop.wait).start()
        print({pid for pid in shared_map(lambda n: os.getpid(), range(300))} == {os.getpid()})
        stop.set()
    """)
    assert said == "True"


def test_a_release_tampered_with_in_the_helpers_share_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """120 releases (20 policies): the last policy's are re-derived by the helper process of
    ``policygen check``; it reports what a check in one process reports."""
    from run import synthetic_project

    project = synthetic_project(tmp_path / "project", 120)
    archive = project / "policy" / "releases"
    tampered = archive / "policy-19" / "1.0.3.json"
    before = hashlib.sha256(tampered.read_bytes()).hexdigest()
    tampered.write_bytes(tampered.read_bytes().replace(b'"value": false', b'"value": true', 1))
    sums = archive / "SHA256SUMS"
    sums.write_text(sums.read_text().replace(
        before, hashlib.sha256(tampered.read_bytes()).hexdigest()))
    result = subprocess.run(
        [sys.executable, "-m", "policygen", "check", "--format", "json", "--root", str(project)],
        capture_output=True, text=True, check=False,
        env={**os.environ, "POLICYGEN_CACHE_DIR": "off", "PYTHONPATH": str(ROOT / "generator")},
    )
    assert result.returncode == 1, result.stderr
    reported = json.loads(result.stdout)
    assert [(problem["file"], problem["rule"]) for problem in reported
            if problem["severity"] == "error"] == [
        ("policy/releases/policy-19/1.0.3.json", "release-not-derived")]
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", "off")
    monkeypatch.setattr(parallel, "can_share", lambda: False)
    alone = problems_only(read_project(Project.at(project)), CHECK_SITE_URL, TODAY)
    assert reported == json.loads(as_json(alone))


def site_digest(outputs: list[Output]) -> str:
    digest = hashlib.sha256()
    for output in outputs:
        content = output.content.encode() if isinstance(output.content, str) else output.content
        digest.update(f"{output.path}\0{output.title}\0{output.source_file}\0".encode() + content)
    return digest.hexdigest()


@pytest.mark.usefixtures("two_cores")
def test_a_site_planned_in_two_processes_is_the_site_planned_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every page, disclosure, feed and problem of a site of 120 releases, byte for byte."""
    from run import synthetic_project

    project = synthetic_project(tmp_path / "project", 120)
    said = in_fresh_process(f"""
        import os
        os.environ["POLICYGEN_CACHE_DIR"] = "off"
        import sys; sys.path.insert(0, {str(ROOT / "tests")!r})
        from pathlib import Path
        from test_parallel import site_digest, TODAY
        from policygen.plan.planning import plan
        from policygen.source.project import Project
        from policygen.source.project_files import read_project
        problems, outputs = plan(read_project(Project.at(Path({str(project)!r}))),
                                 "https://policies.example/", TODAY)
        print(len(outputs), len(problems), site_digest(outputs))
    """)
    monkeypatch.setenv("POLICYGEN_CACHE_DIR", "off")
    monkeypatch.setattr(parallel, "can_share", lambda: False)
    problems, outputs = plan(read_project(Project.at(project)), "https://policies.example/",
                             TODAY)
    assert said == f"{len(outputs)} {len(problems)} {site_digest(outputs)}"
    assert len(outputs) > 2 * 120  # a page and a disclosure per release, and more


# --- a build whose plan is made beside it -----------------------------------------------------

def mkdocs_build(project: Path, *arguments: str, one_core: bool = False,
                 cache: str = "off") -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` as a user runs it (``one_core``: as on a machine with one core)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--verbose", *arguments], cwd=project,
        capture_output=True, text=True, check=False,
        env={**os.environ, "POLICYGEN_CACHE_DIR": cache, "NO_MKDOCS_2_WARNING": "1"},
        preexec_fn=(lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}))
        if one_core else None,
    )


def site_files(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


BESIDE = "files of the history are made beside the build"


PLANNED_BESIDE = "the plan is made beside the build"


def warnings(said: str) -> list[str]:
    return [line for line in said.splitlines() if line.startswith("WARNING")]


@pytest.mark.usefixtures("two_cores")
def test_a_small_site_planned_beside_its_build_is_the_site_built_alone(tmp_path: Path) -> None:
    """No stored plan: a helper makes the whole plan while MkDocs reads its theme. The site,
    and what the build says of the sources, are those of a build on one core."""
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    source = project / "policy" / "do-not-sell.yaml"  # a version not released yet: a warning
    source.write_text(source.read_text("utf-8").replace("version: 1.0.0", "version: 1.0.1", 1)
                      .replace("most important thing", "most important thing of all", 1), "utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("strict: true", "strict: false"), "utf-8")
    alone = mkdocs_build(project, "--site-dir", str(tmp_path / "alone"), one_core=True)
    assert alone.returncode == 0, alone.stderr
    assert PLANNED_BESIDE not in alone.stderr
    beside = mkdocs_build(project, "--site-dir", str(tmp_path / "beside"))
    assert beside.returncode == 0, beside.stderr
    assert PLANNED_BESIDE in beside.stderr and BESIDE not in beside.stderr
    assert warnings(beside.stderr) == warnings(alone.stderr) != []
    built = site_files(tmp_path / "beside")
    assert built == site_files(tmp_path / "alone")
    assert "do-not-sell/index.html" in built
    assert not [name for name in os.listdir(tmp_path / "beside") if "policygen" in name]


@pytest.mark.usefixtures("two_cores")
@pytest.mark.parametrize(("before", "site"), [(True, "site"), (False, "site"),
                                              (False, "out/nested/site")],
                         ids=["a previous site", "no site yet", "nor its folders"])
def test_a_small_site_refused_beside_its_build_leaves_the_site_as_it_was(
    tmp_path: Path, before: bool, site: str,
) -> None:
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("site_dir: site\n", f"site_dir: {site}\n"),
                      "utf-8")
    if before:
        assert mkdocs_build(project, "--strict").returncode == 0
        (project / "site" / ".git").mkdir()
        (project / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    previous = site_files(project / "site")
    folders = sorted(os.listdir(project))
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "  url: https://www.qualsights.com/\n", "  url: https://www.qualsights.com/ x\n", 1),
        "utf-8")
    refused = mkdocs_build(project, "--strict", cache=str(tmp_path / "cache"))
    assert refused.returncode == 1
    assert PLANNED_BESIDE in refused.stderr and "do-not-sell.yaml:16:8" in refused.stderr
    assert site_files(project / "site") == previous
    assert (project / "site").exists() is before
    assert sorted(os.listdir(project)) == folders


@pytest.fixture(scope="module")
def large_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """120 releases of 20 policies, unreleased changes only warned about (not strict)."""
    from run import synthetic_project

    return synthetic_project(tmp_path_factory.mktemp("large") / "project", 120)


def built_copy(project: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A copy of ``project``, built: the copy, and the files of its site."""
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    assert mkdocs_build(copy).returncode == 0
    return copy, site_files(copy / "site")


@pytest.mark.usefixtures("two_cores")
def test_a_build_beside_its_history_is_the_build_without_it(
    large_project: Path, tmp_path: Path,
) -> None:
    alone = mkdocs_build(large_project, "--site-dir", str(tmp_path / "alone"), one_core=True)
    assert alone.returncode == 0, alone.stderr
    assert BESIDE not in alone.stderr
    beside = mkdocs_build(large_project, "--site-dir", str(tmp_path / "beside"))
    assert beside.returncode == 0, beside.stderr
    assert f"120 {BESIDE}" not in beside.stderr and BESIDE in beside.stderr
    built = site_files(tmp_path / "beside")
    assert built == site_files(tmp_path / "alone")
    assert "policy-19/1.0.5/index.html" in built and "policy-19/history/index.html" in built
    assert not [name for name in os.listdir(tmp_path / "beside") if "policygen" in name]


@pytest.mark.usefixtures("two_cores")
def test_a_tampered_release_found_beside_the_build_leaves_the_previous_site(
    large_project: Path, tmp_path: Path,
) -> None:
    """The released versions are checked only once the build has begun: the previous site is
    set aside, and comes back whole when they are not sound; its hidden files stay."""
    project = tmp_path / "project"
    shutil.copytree(large_project, project)
    assert mkdocs_build(project).returncode == 0
    (project / "site" / ".git").mkdir()
    (project / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    before = site_files(project / "site")
    tampered = project / "policy" / "releases" / "policy-19" / "1.0.3.json"
    digest = hashlib.sha256(tampered.read_bytes()).hexdigest()
    tampered.write_bytes(tampered.read_bytes().replace(b'"value": false', b'"value": true', 1))
    sums = project / "policy" / "releases" / "SHA256SUMS"
    sums.write_text(sums.read_text().replace(
        digest, hashlib.sha256(tampered.read_bytes()).hexdigest()))
    cache = str(tmp_path / "cache")
    failed = mkdocs_build(project, cache=cache)
    assert failed.returncode == 1
    assert BESIDE in failed.stderr
    assert "policy/releases/policy-19/1.0.3.json:" in failed.stderr
    assert "[release-not-derived]" in failed.stderr
    assert site_files(project / "site") == before
    # The helper stored its plan before the build stopped: the next build is refused at once.
    again = mkdocs_build(project, cache=cache)
    assert again.returncode == 1 and "[release-not-derived]" in again.stderr
    assert BESIDE not in again.stderr


@pytest.mark.usefixtures("two_cores")
def test_a_build_stopped_half_way_gets_its_previous_site_back(
    large_project: Path, tmp_path: Path,
) -> None:
    """A build killed after it set the previous site aside: the next build puts it back before
    anything else (here, one that is refused at once: the site is the one before)."""
    from policygen.doors.previous_site import set_aside

    project, before = built_copy(large_project, tmp_path)
    site = project / "site"
    set_aside(site)
    (site / "index.html").write_text("half-written")
    source = project / "policy" / "policy-00.yaml"
    source.write_text(source.read_text("utf-8").replace("id: policy-00", "id: Policy 00"), "utf-8")
    refused = mkdocs_build(project)
    assert refused.returncode == 1 and "policy-00.yaml" in refused.stderr
    assert site_files(site) == before


@pytest.mark.usefixtures("two_cores")
def test_a_history_helper_that_fails_leaves_its_work_to_this_process(large_project: Path) -> None:
    said = in_fresh_process(f"""
        import datetime as dt, os
        from pathlib import Path
        os.environ["POLICYGEN_CACHE_DIR"] = "off"
        from policygen.model import urls
        from policygen.plan import planning
        from policygen.source.project import Project
        from policygen.source.project_files import read_project
        files = read_project(Project.at(Path({str(large_project)!r})))
        here, planned = os.getpid(), planning._planned
        def failing(*arguments, **options):
            if os.getpid() != here:
                raise RuntimeError("the helper fails")
            return planned(*arguments, **options)
        planning._planned = failing
        site, today = "https://policies.example/", dt.date(2026, 11, 25)
        later = planning.plan_beside(files, site, today)
        path = urls.version_page_source("policy-07", "1.0.2")
        page = later.content(path)
        made = later.finish()
        later.close()
        print(made == planning.plan(files, site, today),
              page == next(output.content for output in made[1] if output.path == path))
    """)
    assert said == "True True"


@pytest.mark.usefixtures("two_cores")
def test_a_helper_that_fails_after_the_site_began_leaves_the_rest_to_this_process(
    large_project: Path,
) -> None:
    """The helper sends the site without its history, then fails amid the history: what it
    sent is used, and the rest is planned here, the same as without a helper."""
    said = in_fresh_process(f"""
        import datetime as dt, os
        from pathlib import Path
        os.environ["POLICYGEN_CACHE_DIR"] = "off"
        from policygen.model import urls
        from policygen.plan import planning, site as site_module
        from policygen.source.project import Project
        from policygen.source.project_files import read_project
        files = read_project(Project.at(Path({str(large_project)!r})))
        here, part = os.getpid(), site_module._policy_part
        def failing(policy, archive, translations, site_url, vocabulary, history, *rest):
            if os.getpid() != here and history and policy.id == "policy-07":
                os._exit(3)  # the helper dies amid the history, after policy-06's
            return part(policy, archive, translations, site_url, vocabulary, history, *rest)
        site_module._policy_part = failing
        site, today = "https://policies.example/", dt.date(2026, 11, 25)
        later = planning.plan_beside(files, site, today)
        begun = later.begun()
        page = later.content(urls.version_page_source("policy-09", "1.0.2"))
        made = later.finish()
        later.close()
        alone = planning.plan(files, site, today)
        print(made == alone, [output.path for output in begun[1]] == [
                  output.path for output in alone[1]],
              any(output.later for output in begun[1]),
              all(output.later or output == whole for output, whole in zip(begun[1], alone[1])),
              page == next(output.content for output in alone[1]
                           if output.path == urls.version_page_source("policy-09", "1.0.2")))
    """)
    assert said == "True True True True True"


@pytest.mark.usefixtures("two_cores")
def test_a_large_site_whose_vocabulary_is_unusable_is_refused_beside_its_build(
    large_project: Path, tmp_path: Path,
) -> None:
    """The helper has no site to begin with (the review stops at the vocabulary): it sends its
    whole plan, which refuses the build, and the previous site stays."""
    project, before = built_copy(large_project, tmp_path)
    (project / "schema" / "claims.json").write_text("{not json", "utf-8")
    refused = mkdocs_build(project)
    assert refused.returncode == 1, refused.stderr
    assert PLANNED_BESIDE in refused.stderr and "schema/claims.json" in refused.stderr
    assert site_files(project / "site") == before


@pytest.mark.usefixtures("two_cores")
def test_a_release_that_cannot_be_read_back_beside_the_build_is_reported(
    large_project: Path, tmp_path: Path,
) -> None:
    """Its pages cannot be made: the problem says why, at its line, and nothing is published."""
    project, before = built_copy(large_project, tmp_path)
    broken = project / "policy" / "releases" / "policy-19" / "1.0.3.yaml"
    digest = hashlib.sha256(broken.read_bytes()).hexdigest()
    broken.write_bytes(broken.read_bytes().replace(b"\ntitle:", b"\ntitle: [", 1))
    sums = project / "policy" / "releases" / "SHA256SUMS"
    sums.write_text(sums.read_text().replace(
        digest, hashlib.sha256(broken.read_bytes()).hexdigest()))
    failed = mkdocs_build(project)
    assert failed.returncode == 1
    assert BESIDE in failed.stderr and "policygen's bug" not in failed.stderr
    assert "policy/releases/policy-19/1.0.3.yaml:" in failed.stderr
    assert "[yaml-syntax]" in failed.stderr
    assert site_files(project / "site") == before


@pytest.mark.usefixtures("two_cores")
def test_an_interrupted_build_puts_the_previous_site_back_at_once(
    large_project: Path, tmp_path: Path,
) -> None:
    """Ctrl-C while MkDocs reads the pages (no build error: only on_shutdown is told)."""
    project, before = built_copy(large_project, tmp_path)
    said = in_fresh_process(f"""
        import os
        os.environ["POLICYGEN_CACHE_DIR"] = "off"
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        os.chdir({str(project)!r})
        from mkdocs.commands import build
        from mkdocs.config import load_config
        populate, seen = build._populate_page, []
        def interrupted(page, config, files, dirty=False):
            seen.append(page)
            if len(seen) == 60:
                raise KeyboardInterrupt
            return populate(page, config, files, dirty)
        build._populate_page = interrupted
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build.build(config)
        except KeyboardInterrupt:
            print("interrupted", sorted(os.listdir("site")) == sorted(
                name for name in os.listdir("site/.policygen-previous")) if os.path.isdir(
                "site/.policygen-previous") else "after", end=" ")
        finally:
            config.plugins.on_shutdown()
        print(sorted(name for name in os.listdir("site") if "policygen" in name))
    """)
    assert said.startswith("interrupted") and said.endswith("[]")
    assert site_files(project / "site") == before


@pytest.mark.usefixtures("two_cores")
def test_beside_a_plugin_it_does_not_know_the_build_plans_first(
    large_project: Path, tmp_path: Path,
) -> None:
    """Another plugin might read a page of the history before it is made: not beside it."""
    project = tmp_path / "project"
    shutil.copytree(large_project, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "  - policygen\n", "  - policygen\n  - material/offline:\n      enabled: false\n"), "utf-8")
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr
    assert BESIDE not in built.stderr


@pytest.mark.usefixtures("two_cores")
def test_with_sigchld_ignored_the_helpers_still_work(large_project: Path, tmp_path: Path) -> None:
    """A parent that ignores SIGCHLD (some supervisors pass that on) has its children reaped by
    the system: their exit status is unknown, their work is not."""
    def ignoring() -> None:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)

    command = [sys.executable, "-m", "policygen", "check", "--format", "json", "--root",
               str(large_project)]
    env = {**os.environ, "POLICYGEN_CACHE_DIR": "off", "PYTHONPATH": str(ROOT / "generator")}
    usual = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    ignored = subprocess.run(command, capture_output=True, text=True, env=env, check=False,
                             preexec_fn=ignoring)
    assert (ignored.returncode, ignored.stdout, ignored.stderr) == (
        usual.returncode, usual.stdout, usual.stderr)
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-v", "--site-dir", str(tmp_path / "site")],
        cwd=large_project, capture_output=True, text=True, check=False, preexec_fn=ignoring,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stderr
    assert BESIDE in built.stderr and "Traceback" not in built.stderr
    assert (tmp_path / "site" / "_headers").is_file()

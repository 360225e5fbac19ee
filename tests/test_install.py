"""Any organisation, one install: the built wheel, installed into a fresh virtual environment
outside this checkout, starts a site with ``policygen init`` that checks, releases, builds
strictly and verifies, with nothing of QualSights in it. Offline: the wheel is built without
build isolation, and the fresh environment sees the test environment's libraries (MkDocs,
Material, jsonschema, ...) through a path file, never this checkout's policygen."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

ORGANISATIONS = [
    ("Acme Widgets & Sons, Inc.", "https://www.acme-widgets.example/", "privacy@acme-widgets.example",
     "https://policies.acme-widgets.example/", "us-privacy-notice", "Acme “Your Privacy Choices”"),
    ("Blue Harbor Health", "https://blueharbor.example/", "dpo@blueharbor.example",
     "https://legal.blueharbor.example/privacy/", "privacy-notice", None),
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel built from this checkout installed in it."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"
    source.mkdir()
    shutil.copytree(ROOT / "generator", source / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    wheels = work / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "-q", "-w", str(wheels), str(source)],
        capture_output=True, text=True, check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("policygen-*.whl")
    environment = work / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    installing = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True, text=True, check=False,
    )
    assert installing.returncode == 0, installing.stdout + installing.stderr
    site_packages = next((environment / "lib").glob("python3*/site-packages"))
    libraries = next(Path(path) for path in sys.path if path.endswith("site-packages")
                     and (Path(path) / "mkdocs").is_dir())
    (site_packages / "zz-test-libraries.pth").write_text(f"{libraries}\n", "utf-8")
    return environment


def run(environment: Path, folder: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([str(environment / "bin" / "python"), *arguments], cwd=folder,
                          capture_output=True, text=True, check=False, env=env)


def test_the_wheel_installs_policygen_and_nothing_named_generator(
    installed: Path, tmp_path: Path,
) -> None:
    probe = run(installed, tmp_path, "-c",
                "import importlib.util, policygen; print(policygen.__file__); "
                "print(importlib.util.find_spec('generator'))")
    assert probe.returncode == 0, probe.stderr
    location, generator = probe.stdout.splitlines()
    assert location.startswith(str(installed)) and generator == "None"
    shipped = Path(location).parent / "data"
    for needed in ("schemas/policy.schema.json", "schemas/disclosure.schema.json",
                   "schemas/catalog.schema.json", "claims/core.json", "overrides/main.html",
                   "overrides/sitemap.xml", "overrides/assets/policy.css",
                   "templates/site/mkdocs.yml", "templates/site/dot-github/workflows/policy.yml"):
        assert (shipped / needed).is_file(), needed


@pytest.mark.parametrize("organisation", ORGANISATIONS, ids=["acme", "blue-harbor"])
def test_an_organisation_starts_its_own_site_in_one_command(
    installed: Path, tmp_path: Path, organisation: tuple[str, str, str, str, str, str | None],
) -> None:
    name, url, contact, site_url, policy_id, title = organisation
    started = run(installed, tmp_path, "-m", "policygen", "init", "site", "--publisher", name,
                  "--url", url, "--contact", contact, "--site-url", site_url,
                  "--policy", policy_id, *(["--title", title] if title else []))
    assert started.returncode == 0, started.stderr
    site = tmp_path / "site"
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*")
                  if path.is_file()) == [
        ".github/workflows/links.yml", ".github/workflows/policy.yml", ".gitignore",
        ".pre-commit-config.yaml",
        ".vscode/extensions.json", ".vscode/settings.json", "README.md", "mkdocs.yml",
        f"policy/{policy_id}.yaml", "schema/claims.json", "schema/policy.schema.json",
    ]
    source = site / "policy" / f"{policy_id}.yaml"
    text = source.read_text("utf-8").replace(
        f"      - id: no-sale\n        text: \"{name} does not sell personal information.\"\n"
        "        claims:\n          sells_personal_information: false\n",
        f"      - id: no-sale\n        text: \"{name} does not sell or share your personal "
        "information, and honors Global Privacy Control signals as requests to opt out.\"\n"
        "        claims:\n          sells_personal_information: false\n"
        "          shares_personal_information: false\n"
        "          honors_global_privacy_control: true\n"
        "      - id: opt-out\n        text: \"You can opt out by e-mail or with the Global Privacy "
        "Control setting of your browser.\"\n        claims:\n          opt_out_methods:\n"
        "            - by e-mail\n            - with the Global Privacy Control setting of your "
        "browser\n",
    )
    assert text != source.read_text("utf-8")
    source.write_text(text, "utf-8")
    for step in (["-m", "policygen", "release"], ["-m", "policygen", "check", "--strict"],
                 ["-m", "mkdocs", "build", "--strict"],
                 ["-m", "policygen", "verify", f"site/disclosures/{policy_id}.json"]):
        done = run(installed, site, *step)
        assert done.returncode == 0, (step, done.stdout, done.stderr)
    built = site / "site"
    assert (built / ".well-known" / "gpc.json").is_file()
    index = (built / "index.html").read_text("utf-8")
    title = index.split("<title>", 1)[1].split("</title>", 1)[0]
    assert html.unescape(title) == f"Policies - {name} policies"  # reads as written
    assert (built / "schema" / "claims" / "core" / "v1.json").is_file()
    mentions = [path for path in site.rglob("*") if path.is_file()
                and "qualsights" in path.read_text("utf-8", "replace").lower()]
    assert mentions == []


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing_on_error(
    installed: Path, tmp_path: Path,
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    common = ["-m", "policygen", "init", "--publisher", "X", "--url", "https://x.example/",
              "--contact", "privacy@x.example"]
    refused = run(installed, tmp_path, *common, "taken", "--site-url", "https://p.x.example/")
    assert refused.returncode == 2 and "is not an empty folder" in refused.stderr
    assert [path.name for path in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    bad = run(installed, tmp_path, *common, "fresh", "--site-url", "javascript:alert(1)")
    assert bad.returncode == 2 and "--site-url" in bad.stderr
    bad_id = run(installed, tmp_path, *common, "fresh", "--site-url", "https://p.x.example/",
                 "--policy", "Not An Id")
    assert bad_id.returncode == 2 and "not a valid policy id" in bad_id.stderr
    markup = run(installed, tmp_path, "-m", "policygen", "init", "--publisher", "<b>X</b>",
                 "--url", "https://x.example/", "--contact", "privacy@x.example", "fresh",
                 "--site-url", "https://p.x.example/")
    assert markup.returncode == 2 and "--publisher holds HTML" in markup.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["taken"]

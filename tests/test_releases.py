"""Releases never change: the life of a policy, the archive guard, history, diff, freshness."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, build, copy_project
from policygen.doors.cli import main
from policygen.plan.review import review_project
from policygen.source.html_reader import read_page
from policygen.source.project import Project

DEFAULT_1_0_0_SHA256 = "f71b5ffed9b0edda1e92ba754d63e4e33d0fbe8214b7feda63b92cfac7aa1d24"


def problems(project: Path, today: dt.date = TODAY) -> list[str]:
    review = review_project(Project.at(project), today)
    return [f"{p.file}:{p.line}:{p.column} {p.rule}: {p.message}" for p in review.problems]


def edit(project: Path, *replacements: tuple[str, str]) -> None:
    source = project / "policy" / "do-not-sell.yaml"
    text = source.read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    source.write_text(text, "utf-8")


def release(project: Path, *ids: str) -> int:
    return main(["release", "-f", str(project / "mkdocs.yml"), *ids])


SOURCE = "policy/do-not-sell.yaml"
RELEASES = "policy/releases"


def test_the_life_of_a_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "project", releases=False)
    assert problems(project) == [
        f"{SOURCE}:9:10 not-released: version 1.0.0 is not released yet: its disclosure can "
        "still change",
    ]
    assert release(project) == 0
    assert problems(project) == []
    assert release(project, "do-not-sell") == 1
    assert "do-not-sell 1.0.0 is already released" in capsys.readouterr().err

    # Wording changes while 1.0.0 is released: refused, and the patch it needs is named.
    edit(project, ("most important thing", "most important point"))
    assert problems(project) == [
        f"{SOURCE}:9:10 version-released: version 1.0.0 is already released: bump it "
        "(at least patch: Section 1, paragraph 2 was reworded)",
    ]
    assert release(project) == 1  # nothing is released while check fails

    edit(project, ("version: 1.0.0", "version: 1.0.1"),
         ("summary: First published version.", "summary: Clearer wording."),
         ('effective_date: "2026-11-24"', 'effective_date: "2026-12-01"'))
    assert release(project) == 0
    assert problems(project) == []

    # A claim changes value under a minor bump: refused, major needed.
    edit(project, ("version: 1.0.1", "version: 1.1.0"),
         ("direct_engagement_participation_voluntary: true",
          "direct_engagement_participation_voluntary: false"))
    assert problems(project) == [
        f"{SOURCE}:9:10 bump-too-small: 1.0.1 → 1.1.0 is a minor bump, but the change needs a "
        "major bump: the claim 'direct_engagement_participation_voluntary' changed its value",
        f"{SOURCE}:9:10 not-released: version 1.1.0 is not released yet: its disclosure can "
        "still change",
        f"{SOURCE}:11:17 effective-date-unchanged: version 1.1.0 is a minor change but keeps the "
        "effective date 2026-12-01 of version 1.0.1: is that the day it applies?",
    ]
    edit(project, ("version: 1.1.0", "version: 2.0.0"),
         ("summary: Clearer wording.", "summary: Participation rules changed."))
    assert release(project) == 0
    assert problems(project) == []

    # Versions and dates only go forward.
    edit(project, ("version: 2.0.0", "version: 1.0.1"))
    assert problems(project) == [
        f"{SOURCE}:9:10 version-backwards: version 1.0.1 is not after the last release, 2.0.0",
    ]
    edit(project, ("version: 1.0.1", "version: 2.0.1"),
         ('effective_date: "2026-12-01"', 'effective_date: "2026-11-30"'))
    assert problems(project) == [
        f"{SOURCE}:9:10 not-released: version 2.0.1 is not released yet: its disclosure can "
        "still change",
        f"{SOURCE}:11:17 date-backwards: effective date 2026-11-30 is before that of the last "
        "release (2.0.0: 2026-12-01)",
    ]
    edit(project, ("version: 2.0.1", "version: 2.0.0"),
         ('effective_date: "2026-11-30"', 'effective_date: "2026-12-01"'))
    assert problems(project) == []

    # The archive: tampered, deleted, and added-by-hand files all fail, each by name.
    archive = project / "policy" / "releases"
    sums = dict(
        reversed(line.split("  ")) for line in (archive / "SHA256SUMS").read_text().splitlines()
    )
    first = archive / "do-not-sell" / "1.0.0.json"
    first.write_bytes(first.read_bytes().replace(b'"value": false', b'"value": true', 1))
    tampered = hashlib.sha256(first.read_bytes()).hexdigest()
    assert problems(project) == [
        f"{RELEASES}/do-not-sell/1.0.0.json:0:0 release-changed: this released file has "
        f"changed: its SHA-256 is {tampered}, but {sums['do-not-sell/1.0.0.json']} was released",
    ]
    (archive / "do-not-sell" / "1.0.1.json").unlink()
    (archive / "do-not-sell" / "3.0.0.json").write_text("{}")
    assert problems(project) == [
        f"{RELEASES}/SHA256SUMS:4:1 release-missing: the released file "
        f"{RELEASES}/do-not-sell/1.0.1.json (SHA-256 {sums['do-not-sell/1.0.1.json']}) is missing",
        f"{RELEASES}/do-not-sell/1.0.0.json:0:0 release-changed: this released file has "
        f"changed: its SHA-256 is {tampered}, but {sums['do-not-sell/1.0.0.json']} was released",
        f"{RELEASES}/do-not-sell/3.0.0.json:0:0 release-unlisted: this file is in the release "
        "archive but was not released with 'policygen release' (it is not in SHA256SUMS)",
    ]


def test_a_removed_policy_with_releases_fails(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "policy" / "do-not-sell.yaml").rename(project / "elsewhere.yaml")
    assert problems(project) == [
        "policy:0:0 no-policies: there is no policy source (*.yaml) in the policy folder",
        "policy/do-not-sell.yaml:0:0 policy-removed: the policy 'do-not-sell' has released "
        "versions but its source is gone",
    ]


def test_the_default_release_never_changes() -> None:
    released = ROOT / "policy" / "releases" / "do-not-sell" / "1.0.0.json"
    assert hashlib.sha256(released.read_bytes()).hexdigest() == DEFAULT_1_0_0_SHA256


@pytest.mark.parametrize(("today", "expected"), [
    ("2027-10-24", []),
    ("2027-10-25", ["12:16 review-due-soon: the yearly review is due by 2027-11-24, in 30 days"]),
    ("2027-11-24", ["12:16 review-due-soon: the yearly review is due by 2027-11-24, in 0 days"]),
    ("2027-11-25", ["12:16 review-overdue: the policy was last reviewed on 2026-11-24, more than "
                    "12 months ago (the review was due by 2027-11-24)"]),
])
def test_freshness(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today: str, expected: list[str],
) -> None:
    project = copy_project(tmp_path / "project")
    assert problems(project, dt.date.fromisoformat(today)) == [
        f"{SOURCE}:{line}" for line in expected
    ]
    code = main(["check", "--root", str(project), "--today", today])
    assert code == (1 if "overdue" in "".join(expected) else 0)
    assert main(["check", "--root", str(project), "--today", today, "--strict"]) == int(
        bool(expected)
    )
    capsys.readouterr()


@pytest.fixture(scope="module")
def three_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default policy released as 1.0.0, then 1.0.1 (wording), then 2.0.0 (a claim)."""
    project = copy_project(tmp_path_factory.mktemp("life") / "project")
    edit(project, ("version: 1.0.0", "version: 1.0.1"),
         ("summary: First published version.", "summary: Clearer wording."),
         ('effective_date: "2026-11-24"', 'effective_date: "2026-12-01"'),
         ("most important thing", "most important point"))
    assert release(project) == 0
    edit(project, ("version: 1.0.1", "version: 2.0.0"),
         ("summary: Clearer wording.", "summary: Participation is no longer voluntary."),
         ('effective_date: "2026-12-01"', 'effective_date: "2027-01-15"'),
         ("purely voluntary;", "compulsory;"),
         ("direct_engagement_participation_voluntary: true",
          "direct_engagement_participation_voluntary: false"))
    assert release(project) == 0
    return project


def test_diff_shows_claims_first_then_wording(
    three_versions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "1.0.0", "2.0.0", "--root", str(three_versions)]) == 0
    assert capsys.readouterr().out == (
        "do-not-sell 1.0.0 → 2.0.0 (needs a major bump)\n"
        "Claims:\n"
        "  ~ direct_engagement_participation_voluntary: true → false\n"
        "Wording:\n"
        "  ~ Section 1, paragraph 2: Here is the most important [-thing-]{+point+} for you to "
        "understand:\n"
        "  ~ Section 3, bullet 1: Participation in Direct Engagements is [-purely voluntary;-]"
        "{+compulsory;+}\n"
        "Other:\n"
        "  ~ effective date: 2026-11-24 → 2027-01-15\n"
    )
    assert main(["diff", "2.0.0", "--root", str(three_versions)]) == 0
    assert capsys.readouterr().out == (
        "do-not-sell 2.0.0 → current (2.0.0) (no change)\nNo changes.\n"
    )
    assert main(["diff", "9.9.9", "--root", str(three_versions)]) == 2
    assert "has no released version 9.9.9 (released: 1.0.0, 1.0.1, 2.0.0)" in \
        capsys.readouterr().err


def test_diff_works_on_an_edit_that_still_needs_its_bump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "project")
    edit(project, ("most important thing", "most important point"))
    assert main(["check", "--root", str(project)]) == 1  # version 1.0.0 is already released
    capsys.readouterr()
    assert main(["diff", "1.0.0", "--root", str(project)]) == 0
    assert capsys.readouterr().out == (
        "do-not-sell 1.0.0 → current (1.0.0) (needs a patch bump)\n"
        "Wording:\n"
        "  ~ Section 1, paragraph 2: Here is the most important [-thing-]{+point+} for you to "
        "understand:\n"
    )


def test_the_site_serves_every_release_as_archived(three_versions: Path) -> None:
    site = build(three_versions)
    archive = three_versions / "policy" / "releases" / "do-not-sell"
    for version in ("1.0.0", "1.0.1", "2.0.0"):
        published = site / "disclosures" / "do-not-sell" / f"{version}.json"
        assert published.read_bytes() == (archive / f"{version}.json").read_bytes()
    assert (site / "disclosures" / "do-not-sell.json").read_bytes() == \
        (archive / "2.0.0.json").read_bytes()
    assert (site / "disclosures" / "do-not-sell" / "1.0.0.json").read_bytes() == \
        (ROOT / "policy" / "releases" / "do-not-sell" / "1.0.0.json").read_bytes()
    catalog = json.loads((site / "disclosures" / "index.json").read_text("utf-8"))
    versions = catalog["policies"][0]["versions"]
    assert [(v["version"], v["effective_date"]) for v in versions] == [
        ("1.0.0", "2026-11-24"), ("1.0.1", "2026-12-01"), ("2.0.0", "2027-01-15"),
    ]
    for entry in versions:
        content = (archive / f"{entry['version']}.json").read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()

    old = read_page((site / "do-not-sell" / "1.0.1" / "index.html").read_text("utf-8"))
    (note,) = [e for e in old.elements if "policy-superseded" in e.classes]
    assert note.text == "This version (1.0.1) is superseded. It is kept here as it was published. " \
        "Read the current version, 2.0.0."
    assert old.by_id("voluntary-participation").text == \
        "Participation in Direct Engagements is purely voluntary;"  # type: ignore[union-attr]
    current = read_page((site / "do-not-sell" / "index.html").read_text("utf-8"))
    assert current.by_id("voluntary-participation").text == \
        "Participation in Direct Engagements is compulsory;"  # type: ignore[union-attr]
    assert not [e for e in current.elements if "policy-superseded" in e.classes]


def test_the_history_page_lists_versions_with_their_changes(three_versions: Path) -> None:
    site = build(three_versions)
    history = read_page((site / "do-not-sell" / "history" / "index.html").read_text("utf-8"))
    headings = [e.text for e in history.elements if e.tag == "h2"]
    assert headings == ["Version 2.0.0", "Version 1.0.1", "Version 1.0.0"]
    metas = [e.text for e in history.elements if "policy-meta" in e.classes]
    assert [meta.split(" · ")[:2] for meta in metas] == [
        ["Effective date 2027-01-15", "Released 2026-11-25"],
        ["Effective date 2026-12-01", "Released 2026-11-25"],
        ["Effective date 2026-11-24", "Released 2026-11-25"],
    ]
    key = next(e for e in history.elements if "policy-changes-key" in e.classes)
    assert key.text == ("Key: removed: removed words are struck through, added: added words "
                        "are underlined.")
    changes = [e for e in history.elements if "policy-changes" in e.classes]
    assert len(changes) == 2
    text = changes[0].text
    assert text.index("Claims") < text.index("Wording")
    # A claim change reads as its meaning; its name is in small print, with a tooltip.
    claim = next(e for e in history.elements if e.tag == "li" and e.text.startswith("No longer:"))
    assert claim.text == ("No longer: Whether taking part in a Direct Engagement is voluntary. "
                          "removed: yes added: no (direct_engagement_participation_voluntary)")
    assert "Section 3, bullet 1: Participation in Direct Engagements is removed: purely "\
           "voluntary; added: compulsory;" in text
    dels = [e.text for e in history.elements if e.tag == "del"]
    inss = [e.text for e in history.elements if e.tag == "ins"]
    assert dels == ["removed: removed words", "removed: yes", "removed: purely voluntary;",
                    "removed: thing"]
    assert inss == ["added: added words", "added: no", "added: compulsory;", "added: point"]
    small = next(e for e in history.elements if "policy-claim-name" in e.classes)
    assert small.attributes["title"] == "direct_engagement_participation_voluntary"
    assert "Participation is no longer voluntary." in [e.text for e in history.elements]

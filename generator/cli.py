"""The ``policygen`` command line: a thin adapter over the core."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.problems import CannotRun
from generator.report import as_github, as_json, as_text, summary
from generator.review import Project
from generator.site import plan_site

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2
CHECK_SITE_URL = "https://policies.example/"
"""``check`` renders the site as the build would, without mkdocs.yml: any absolute URL will do."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policygen",
        description="Publish policy statements for people and machines from one YAML source.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", help="check every policy source; writes nothing",
        description="Check every policy source. Exit 0: clean, 1: problems, 2: could not run.",
    )
    check.add_argument("--root", type=Path, default=Path("."),
                       help="the project folder, with policy/ and schema/ (default: .)")
    check.add_argument("--format", choices=("text", "github", "json"), default=None,
                       help="output format (default: text; github when GITHUB_ACTIONS=true)")
    check.add_argument("--strict", action="store_true", help="warnings fail too")

    build = commands.add_parser(
        "build", help="build the site (same result as 'mkdocs build --strict')",
        description="Build the site into a temporary folder, then replace site_dir with it: "
                    "a failed build leaves the previous site as it was.",
    )
    build.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                       help="the MkDocs configuration (default: mkdocs.yml)")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "check":
        return check(arguments.root, arguments.format, arguments.strict)
    from generator.building import build_site

    return build_site(arguments.config_file)


def check(root: Path, output_format: str | None, strict: bool) -> int:
    project = Project.at(root)
    if not project.schema_dir.is_dir() or not project.policy_dir.is_dir():
        print(f"policygen: {project.display(project.root)} has no policy/ and schema/ folders: "
              "run this in a policy site project, or pass --root", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        review, _ = plan_site(project, CHECK_SITE_URL)
    except CannotRun as error:
        print(f"policygen: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    problems = review.problems
    if output_format == "json":
        print(as_json(problems))
    elif problems:
        if output_format == "github":
            print(as_github(problems))
        print(as_text(problems))
    failed = bool(review.errors) or (strict and bool(problems))
    if output_format != "json":
        checked = len(project.source_files())
        print(f"policygen check: {checked} polic{'ies' if checked != 1 else 'y'} checked, "
              f"{summary(problems)}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_CLEAN

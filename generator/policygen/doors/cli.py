"""The ``policygen`` command line: a thin adapter over the core."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from policygen.model.problems import EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_PROBLEMS, CannotRun, Problem
from policygen.model.report import as_github, as_json, as_text, verdict
from policygen.model.urls import CATALOG_PATH
from policygen.plan.planning import problems_only
from policygen.source.project import Project, today_from_environment
from policygen.source.project_files import read_project

CHECK_SITE_URL = "https://policies.example/"
"""``check`` renders the site as the build would, without mkdocs.yml: any absolute URL will do."""
SITE_CATALOG = "site"
"""``--published`` without a URL: the catalog under the site_url of the project's mkdocs.yml."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from error


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policygen",
        description="Publish policy statements for people and machines from one YAML source.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser(
        "check", help="check every policy source and the release archive; writes nothing",
        description="Check every policy source and the release archive. "
                    "Exit 0: clean, 1: problems, 2: could not run.",
    )
    check.add_argument("--root", type=Path, default=Path("."),
                       help="the project folder, with policy/ and schema/ (default: .)")
    check.add_argument("--format", choices=("text", "github", "json"), default=None,
                       help="output format (default: text; github when GITHUB_ACTIONS=true)")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--today", type=_date, default=None,
                       help="check freshness as of this date, YYYY-MM-DD (default: "
                            "POLICYGEN_TODAY, else today)")
    check.add_argument("--base", metavar="REV", default=None,
                       help="the git revision whose released files must all still be here "
                            "unchanged (default: HEAD; in CI, the pull request's base)")
    check.add_argument("--published", metavar="CATALOG_URL", nargs="?", const=SITE_CATALOG,
                       default=None,
                       help="also compare the archive with the live catalog at this URL: every "
                            "published version must be archived byte for byte (default URL: "
                            "site_url of mkdocs.yml + disclosures/index.json)")

    build = commands.add_parser(
        "build", help="build the site (same result as 'mkdocs build --strict')",
        description="Build the site into a temporary folder, then replace site_dir with it: "
                    "a failed build leaves the previous site as it was.",
    )
    build.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                       help="the MkDocs configuration (default: mkdocs.yml)")

    release = commands.add_parser(
        "release", help="freeze the current version of policies into policy/releases/",
        description="Freeze the current version of each policy (or of the policies named): its "
                    "disclosure as published and its source, listed with their SHA-256 in "
                    "policy/releases/SHA256SUMS. Refuses an invalid policy or a version that is "
                    "already released or not greater than the last one.",
    )
    release.add_argument("policies", nargs="*", metavar="ID", help="policies to release")
    release.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                         help="the MkDocs configuration, for site_url (default: mkdocs.yml)")
    release.add_argument("--today", type=_date, default=None, help="as for check")

    diff = commands.add_parser(
        "diff", help="what changed between two versions: claims first, then wording",
        description="Show what changed from version A to version B (default: the working copy, "
                    "also named 'current'), and the version bump the change needs.",
    )
    diff.add_argument("before", metavar="A", help="a released version, or 'current'")
    diff.add_argument("after", metavar="B", nargs="?", default="current",
                      help="a released version, or 'current' (default)")
    diff.add_argument("--policy", metavar="ID", help="the policy (needed when there are several)")
    diff.add_argument("--language", metavar="LANG", default=None,
                      help="compare the policy's translation into LANG (A and B are versions of "
                           "the original that it translates)")
    diff.add_argument("--root", type=Path, default=Path("."), help="the project folder")

    verify = commands.add_parser(
        "verify", help="check a published disclosure as a consumer would",
        description="Check a published disclosure (a file of a built site, or a URL): valid "
                    "against the schema of the site it comes from, SHA-256 as listed in that "
                    "site's catalog, and every claim's statement present on the page. "
                    "Exit 0: verified, 1: failed, 2: could not run.",
    )
    verify.add_argument("target", metavar="FILE_OR_URL")
    verify.add_argument("--site", metavar="URL", default=None,
                        help="the site whose schema and catalog must vouch for the disclosure "
                             "(default: the site it was fetched from, or the built site a file "
                             "is in)")

    new = commands.add_parser(
        "new", help="start a new policy: policy/ID.yaml that passes check",
        description="Write policy/ID.yaml with the required fields, one section, one statement "
                    "and one claim bound to it. The publisher is taken from an existing policy "
                    "unless given. Refuses an existing or invalid id.",
    )
    new.add_argument("policy_id", metavar="ID", help="lowercase letters, digits and hyphens")
    new.add_argument("--title", required=True, help="the policy's title as it will be published")
    new.add_argument("--publisher", help="the publisher's name")
    new.add_argument("--url", help="the publisher's https: web site")
    new.add_argument("--contact", help="the privacy contact's e-mail address")
    new.add_argument("--root", type=Path, default=Path("."), help="the project folder")

    init = commands.add_parser(
        "init", help="start a new policy site for an organisation in DIR",
        description="Write a complete new site into DIR (which must not exist or be empty): "
                    "mkdocs.yml, a first draft policy, the site's claim vocabulary, a README for "
                    "legal editors, a GitHub workflow, a pre-commit configuration and the "
                    "editors' schema association. Writes nothing on any error.",
    )
    init.add_argument("folder", metavar="DIR", type=Path)
    init.add_argument("--publisher", required=True, help="the organisation's name")
    init.add_argument("--url", required=True, help="the organisation's https: web site")
    init.add_argument("--contact", required=True, help="the privacy contact's e-mail address")
    init.add_argument("--site-url", required=True,
                      help="where the policy site will be published (https://...)")
    init.add_argument("--policy", metavar="ID", default=None,
                      help="the first policy's id (default: privacy-notice)")
    init.add_argument("--title", default=None,
                      help="the first policy's title (default: NAME Privacy Notice)")

    claim = commands.add_parser(
        "claim", help="manage the site's own claim names (policygen claim add ...)",
        description="The site's own claim names, beyond the core vocabulary.",
    )
    claim_commands = claim.add_subparsers(dest="claim_command", required=True, metavar="ACTION")
    add = claim_commands.add_parser(
        "add", help="add a claim name to schema/claims.json",
        description="Add a claim name, with its type and meaning, to the site's vocabulary "
                    "(schema/claims.json). Refuses core names, names already there and bad "
                    "names, and writes nothing then.",
    )
    add.add_argument("name", metavar="NAME", help="lowercase words joined by underscores")
    add.add_argument("--type", required=True, choices=("boolean", "text", "list"),
                     help="boolean (true/false), text (a phrase quoted from the statement) or "
                          "list (of such phrases)")
    add.add_argument("--meaning", required=True,
                     help="what the claim means, in one sentence a reader of any disclosure "
                          "understands")
    add.add_argument("--concept", default=None,
                     help="the W3C DPV concept it is an instance of, such as dpv:Consent")
    add.add_argument("--root", type=Path, default=Path("."), help="the project folder")

    links = commands.add_parser(
        "links", help="check the external links of every policy online (check stays offline)",
        description="Fetch every external link the pages and disclosures carry (the Privacy "
                    "Policy and its declared sections, the publisher's site, every declared "
                    "link) and report broken ones, permanent moves and sections that moved. "
                    "Exit 0: clean, 1: problems, 2: could not run.",
    )
    links.add_argument("--root", type=Path, default=Path("."), help="the project folder")
    links.add_argument("--format", choices=("text", "github", "json"), default=None,
                       help="output format (default: text; github when GITHUB_ACTIONS=true)")
    links.add_argument("--strict", action="store_true", help="warnings fail too")
    links.add_argument("--timeout", type=float, default=8.0,
                       help="seconds to wait for each answer (default: 8)")
    links.add_argument("--remap", action="append", default=[], metavar="'REGEX REPLACEMENT'",
                       help="rewrite URLs before fetching them (repeatable), to check a staging "
                            "copy or a local server instead of the live site")

    commands.add_parser(
        "schema", help="print the policy source schema (for editors: > schema/policy.schema.json)",
        description="Print the JSON Schema of policy sources that this policygen checks against; "
                    "editors read a copy of it from schema/policy.schema.json.",
    )

    pdf = commands.add_parser(
        "pdf", help="print a policy page of the built site to PDF, with Chromium",
        description="Print the current page of a policy (or the page of VERSION) from the built "
                    "site to PDF, for legal's files: the full legal text with version and dates, "
                    "without navigation. Needs Chromium.",
    )
    pdf.add_argument("version", metavar="VERSION", nargs="?", help="a published version")
    pdf.add_argument("--policy", metavar="ID", help="the policy (needed when there are several)")
    pdf.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: site)")
    pdf.add_argument("-o", "--output", type=Path,
                     help="the PDF to write (default: pdf/ID-VERSION.pdf, a folder git ignores)")
    pdf.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"),
                     help="the MkDocs configuration: a site older than its sources is refused "
                          "(default: mkdocs.yml)")
    pdf.add_argument("--build", action="store_true", help="build the site first")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "check":
            today = arguments.today or today_from_environment()
            return check(arguments.root, arguments.format, arguments.strict, today,
                         base=arguments.base, published=arguments.published)
        if arguments.command == "diff":
            from policygen.doors.releasing import show_diff

            return show_diff(Project.at(arguments.root), arguments.policy, arguments.before,
                             arguments.after, arguments.language)
        if arguments.command == "release":
            from policygen.doors.releasing import release

            today = arguments.today or today_from_environment()
            return release(arguments.config_file, arguments.policies, today)
        if arguments.command == "new":
            return new(arguments)
        if arguments.command == "init":
            from policygen.doors.scaffold import STARTER_POLICY, init_site

            init_site(
                arguments.folder,
                {"name": arguments.publisher, "url": arguments.url, "contact": arguments.contact},
                arguments.site_url, today_from_environment(),
                policy_id=arguments.policy or STARTER_POLICY, title=arguments.title,
            )
            return EXIT_CLEAN
        if arguments.command == "links":
            return check_links_online(arguments)
        if arguments.command == "claim":
            from policygen.doors.claims import add_claim

            add_claim(Project.at(arguments.root), arguments.name, arguments.type,
                      arguments.meaning, arguments.concept)
            return EXIT_CLEAN
        if arguments.command == "schema":
            from policygen.source.package_data import SCHEMAS, data_bytes

            sys.stdout.buffer.write(data_bytes(f"{SCHEMAS}/policy.schema.json"))
            return EXIT_CLEAN
        if arguments.command == "pdf":
            from policygen.doors.printing import print_pdf

            return print_pdf(arguments.site, arguments.policy, arguments.version, arguments.output,
                             arguments.config_file, arguments.build)
        if arguments.command == "verify":
            return verify_disclosure(arguments.target, arguments.site)
        if arguments.command == "build":
            from policygen.doors.building import build_site

            return build_site(arguments.config_file)
        raise CannotRun(f"unknown command {arguments.command}")
    except CannotRun as error:
        print(f"policygen: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN


def check_links_online(arguments: argparse.Namespace) -> int:
    from policygen.doors.links import check_links, http_fetcher, link_targets, parse_remaps

    project = Project.at(arguments.root)
    targets = link_targets(read_project(project))
    problems = check_links(targets, http_fetcher(arguments.timeout, parse_remaps(arguments.remap)))
    report(problems, arguments.format)
    print(f"policygen links: {len(targets)} address{'es' * (len(targets) != 1)} checked, "
          f"{verdict(problems)}", file=sys.stderr)
    failed = any(problem.is_error for problem in problems) or (arguments.strict and bool(problems))
    return EXIT_PROBLEMS if failed else EXIT_CLEAN


def report(problems: tuple[Problem, ...] | list[Problem], output_format: str | None) -> None:
    """Problems on standard output, in the format asked for (github by itself in Actions)."""
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if output_format == "json":
        print(as_json(problems))
    elif problems:
        if output_format == "github":
            print(as_github(problems))
        print(as_text(problems))


def check(root: Path, output_format: str | None, strict: bool, today: dt.date, *,
          base: str | None = None, published: str | None = None) -> int:
    project = Project.at(root)
    if not project.schema_dir.is_dir() or not project.policy_dir.is_dir():
        raise CannotRun(f"{project.display(project.root)} has no policy/ and schema/ folders: "
                        "run this in a policy site project, or pass --root")
    files = read_project(project, base)
    problems = problems_only(files, CHECK_SITE_URL, today)
    if published is not None:
        from policygen.doors.fetching import fetch
        from policygen.doors.published import published_problems

        if published == SITE_CATALOG:
            from policygen.doors.releasing import site_url_of

            published = site_url_of(project.root / "mkdocs.yml").rstrip("/") + "/" + CATALOG_PATH
        problems = tuple(sorted((*problems, *published_problems(files, published, fetch))))
    report(problems, output_format)
    failed = any(problem.is_error for problem in problems) or (strict and bool(problems))
    if output_format != "json":
        sources = project.source_files()
        translated = sum("." in path.stem for path in sources)
        checked = len(sources) - translated
        also = (f" and {translated} translation{'s' * (translated != 1)}" if translated else "")
        print(f"policygen check: {checked} polic{'ies' if checked != 1 else 'y'}{also} checked, "
              f"{verdict(problems)}", file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_CLEAN


def verify_disclosure(target: str, site: str | None) -> int:
    from policygen.doors.verification import verify

    findings = verify(target, site=site)
    for finding in findings:
        print(f"{'ok  ' if finding.ok else 'FAIL'} {finding.message}")
    failed = [finding for finding in findings if not finding.ok]
    print(f"policygen verify: {target}: "
          + (f"{len(failed)} check(s) failed" if failed else "verified"), file=sys.stderr)
    return EXIT_PROBLEMS if failed else EXIT_CLEAN


def new(arguments: argparse.Namespace) -> int:
    from policygen.doors.scaffold import new_policy, publisher_of_existing

    project = Project.at(arguments.root)
    given = {"name": arguments.publisher, "url": arguments.url, "contact": arguments.contact}
    existing = publisher_of_existing(project) or {}
    publisher = {key: value or existing.get(key, "") for key, value in given.items()}
    missing = [f"--{'publisher' if key == 'name' else key}" for key, value in publisher.items()
               if not value]
    if missing:
        raise CannotRun(f"no existing policy to take the publisher from: give {', '.join(missing)}")
    new_policy(project, arguments.policy_id, arguments.title, today_from_environment(), publisher)
    return EXIT_CLEAN

"""``policygen new`` (a new policy source that passes ``check`` from its first save) and
``policygen init`` (a new site for an organisation, from the templates policygen ships)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from policygen.model.addresses import email_problem, https_url_problem
from policygen.model.problems import CannotRun
from policygen.model.report import as_text
from policygen.rules.policy_rules import RAW_HTML
from policygen.rules.schema_check import schema_problems
from policygen.source.loader import parse_source
from policygen.source.package_data import SCHEMAS, data_bytes, data_path
from policygen.source.project import Project
from policygen.source.project_files import read_project
from policygen.source.schemas import SOURCE_SCHEMA, parse_schemas, shipped_schema


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def new_policy(project: Project, policy_id: str, title: str, today: dt.date,
               publisher: dict[str, str]) -> Path:
    """Write ``policy/ID.yaml``; refuse an invalid or existing id."""
    schemas, problems = parse_schemas(read_project(project))
    if schemas is None:
        raise CannotRun("nothing written: the project's schemas have problems:\n"
                        + as_text(problems))
    target = project.policy_dir / f"{policy_id}.yaml"
    if target.exists() or (project.policy_dir / f"{policy_id}.yml").exists():
        raise CannotRun(f"{project.display(target)} already exists: choose another id")
    text = policy_text(policy_id, title, today, publisher)
    project.policy_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as stream:
        stream.write(text)
    print(f"policygen new: wrote {project.display(target)}; edit it, preview with 'mkdocs serve', "
          "then 'policygen check' and, once approved, 'policygen release'", file=sys.stderr)
    return target


def policy_text(policy_id: str, title: str, today: dt.date, publisher: dict[str, str]) -> str:
    """The source of a new policy, checked against the source schema; refuses what would not
    pass (an invalid id, title or publisher) with the reason."""
    id_rule = shipped_schema(SOURCE_SCHEMA)["properties"]["id"]
    if not re.fullmatch(id_rule["pattern"], policy_id) or len(policy_id) > id_rule["maxLength"]:
        raise CannotRun(f"'{policy_id}' is not a valid policy id: use lowercase letters, digits "
                        "and single hyphens, such as 'cookie-notice'")
    if not title.strip():
        raise CannotRun("give the policy a title with --title")
    name, url, contact = publisher["name"], publisher["url"], publisher["contact"]
    for flag, text in (("--publisher", name), ("--title", title)):
        markup = RAW_HTML.search(text)
        if markup:
            raise CannotRun(f"nothing written: {flag} holds HTML ({markup.group()!r}); write "
                            "the name exactly as it should read")
    for flag, why in (("--url", https_url_problem(url)), ("--contact", email_problem(contact))):
        if why is not None:
            raise CannotRun(f"nothing written: {flag} cannot be published: {why}")
    text = f"""# yaml-language-server: $schema=../schema/policy.schema.json
# {title}: the one source of its page and its machine-readable disclosure.
# Write the legal text exactly as it should be published. A statement that machines should
# know about gets an id (its anchor on the page) and claims: the core names every policygen site
# shares (see the site's /schema/disclosure/ page), or this site's own in schema/claims.json.
id: {policy_id}
title: {_quoted(title)}
version: 0.1.0
summary: First draft.
effective_date: "{today.isoformat()}"
last_reviewed: "{today.isoformat()}"
language: en
publisher:
  name: {_quoted(name)}
  url: {_quoted(url)}
  contact: {_quoted(contact)}
sections:
  - number: 1
    heading: In General
    blocks:
      # An example statement and claim: replace them with the policy's own wording and claims.
      - id: no-sale
        text: {_quoted(f"{name} does not sell personal information.")}
        claims:
          sells_personal_information: false
"""
    source, problems = parse_source(text.encode("utf-8"), f"policy/{policy_id}.yaml")
    if source is not None:
        problems = schema_problems(source, shipped_schema(SOURCE_SCHEMA), text.encode("utf-8"))
    if problems:
        raise CannotRun("nothing written: the new policy would not pass check:\n"
                        + as_text(problems))
    return text


def publisher_of_existing(project: Project) -> dict[str, str] | None:
    """The publisher of an existing policy, so that a new one starts with the same."""
    for path in project.source_files() if project.policy_dir.is_dir() else []:
        source, _ = parse_source(path.read_bytes(), path.name)
        publisher = source.data.get("publisher") if source and isinstance(source.data, dict) else None
        if isinstance(publisher, dict) and all(
            isinstance(publisher.get(key), str) for key in ("name", "url", "contact")
        ):
            return {key: publisher[key] for key in ("name", "url", "contact")}
    return None


SITE_TEMPLATE = "templates/site"
STARTER_POLICY = "privacy-notice"
_TEMPLATED = (".yml", ".yaml", ".md")
"""Template files whose $placeholders are filled in; the others are copied as they are."""


def init_site(
    folder: Path, publisher: dict[str, str], site_url: str, today: dt.date,
    *, policy_id: str = STARTER_POLICY, title: str | None = None,
) -> Path:
    """Write a complete new site into ``folder`` (which must not exist or be empty): the MkDocs
    configuration, a first draft policy, the site's vocabulary, a README for legal editors, a
    GitHub workflow, a pre-commit configuration and the editors' schema association. Everything
    is written to a temporary folder first, so that nothing is left behind on any error."""
    from string import Template

    from policygen import __version__

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CannotRun(f"{folder} is not an empty folder: choose a new one")
    why = _site_url_problem(site_url)
    if why is not None:
        raise CannotRun(f"nothing written: --site-url cannot be the site's address: {why}")
    site_url = site_url.rstrip("/") + "/"
    title = title or f"{publisher['name']} Privacy Notice"
    starter = policy_text(policy_id, title, today, publisher)
    values = {
        "publisher": publisher["name"], "site_url": site_url, "policy_id": policy_id,
        "version": __version__,
        # YAML values, quoted (a name may hold a colon or a quote); the theme prints the site's
        # name and description as HTML, so they are HTML-escaped too (and read as written):
        "site_name": json.dumps(html.escape(f"{publisher['name']} policies"), ensure_ascii=False),
        "site_url_yaml": json.dumps(site_url),
        "site_description": json.dumps(html.escape(
            f"{publisher['name']} policy statements, for people and for machines."),
            ensure_ascii=False),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        template = data_path(SITE_TEMPLATE)
        for source in sorted(template.rglob("*")):
            if not source.is_file():
                continue
            relative = Path(*(part.replace("dot-", ".", 1) if part.startswith("dot-") else part
                              for part in source.relative_to(template).parts))
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix in _TEMPLATED:
                target.write_text(Template(source.read_text("utf-8")).substitute(values), "utf-8")
            else:
                target.write_bytes(source.read_bytes())
        (staging / "schema" / "policy.schema.json").write_bytes(
            data_bytes(f"{SCHEMAS}/{SOURCE_SCHEMA}"))
        (staging / "policy").mkdir(exist_ok=True)
        (staging / "policy" / f"{policy_id}.yaml").write_text(starter, "utf-8")
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(f"policygen init: wrote a new site for {publisher['name']} in {folder}: edit "
          f"policy/{policy_id}.yaml, preview with 'mkdocs serve', check with 'policygen check', "
          "and read README.md", file=sys.stderr)
    return folder


def _site_url_problem(site_url: str) -> str | None:
    """Why ``site_url`` cannot be where a site is published (https, or http on this machine)."""
    from urllib.parse import urlsplit

    parts = urlsplit(site_url)
    if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"):
        return None
    return https_url_problem(site_url)

"""``policygen new``: a new policy source that passes ``check`` from its first save."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from policygen.model.problems import CannotRun
from policygen.model.report import as_text
from policygen.rules.schema_check import schema_problems
from policygen.source.loader import parse_source
from policygen.source.project import Project
from policygen.source.project_files import read_project
from policygen.source.schemas import parse_schemas


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def new_policy(project: Project, policy_id: str, title: str, today: dt.date,
               publisher: dict[str, str]) -> Path:
    """Write ``policy/ID.yaml``; refuse an invalid or existing id."""
    schemas, problems = parse_schemas(read_project(project))
    if schemas is None:
        raise CannotRun("nothing written: the project's schemas have problems:\n"
                        + as_text(problems))
    id_rule = schemas.source["properties"]["id"]
    if not re.fullmatch(id_rule["pattern"], policy_id) or len(policy_id) > id_rule["maxLength"]:
        raise CannotRun(f"'{policy_id}' is not a valid policy id: use lowercase letters, digits "
                        "and single hyphens, such as 'cookie-notice'")
    target = project.policy_dir / f"{policy_id}.yaml"
    if target.exists() or (project.policy_dir / f"{policy_id}.yml").exists():
        raise CannotRun(f"{project.display(target)} already exists: choose another id")
    if not title.strip():
        raise CannotRun("give the policy a title with --title")
    name, url, contact = publisher["name"], publisher["url"], publisher["contact"]
    text = f"""# yaml-language-server: $schema=../schema/policy.schema.json
# {title}: the one source of its page and its machine-readable disclosure.
# Write the legal text exactly as it should be published. A statement that machines should
# know about gets an id (its anchor on the page) and claims (names from schema/claims.json).
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
        text: {_quoted(f"{name} does not sell personal data.")}
        claims:
          sells_personal_data: false
"""
    source, problems = parse_source(text.encode("utf-8"), project.display(target))
    if source is not None:
        problems = schema_problems(source, schemas.source, text.encode("utf-8"))
    if problems:
        raise CannotRun("nothing written: the new policy would not pass check:\n"
                        + as_text(problems))
    project.policy_dir.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as stream:
        stream.write(text)
    print(f"policygen new: wrote {project.display(target)}; edit it, preview with 'mkdocs serve', "
          "then 'policygen check' and, once approved, 'policygen release'", file=sys.stderr)
    return target


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

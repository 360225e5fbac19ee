"""``policygen claim add``: a new claim name in the site's vocabulary, without editing JSON."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from policygen.model.problems import CannotRun
from policygen.model.report import location
from policygen.source.project import Project
from policygen.source.project_files import SITE_VOCABULARY
from policygen.source.schemas import core_vocabulary, parse_json_object
from policygen.source.vocabulary import CONCEPT, NAME, TYPES, parse_vocabulary

_NEW_VOCABULARY: dict[str, Any] = {
    "$comment": "The claim names of this site, beyond the core vocabulary that policygen ships "
                "and every site shares. Add names with 'policygen claim add'; never change the "
                "meaning of a published name.",
}


def add_claim(project: Project, name: str, kind: str, meaning: str, concept: str | None) -> Path:
    """Add ``name`` to the site's vocabulary; refuse a core name, a name already there, a bad
    name, type or concept, and write nothing then."""
    target = project.schema_dir / SITE_VOCABULARY
    shown = project.display(target)
    if target.exists():
        document, problem = parse_json_object(target.read_bytes(), shown)
        if problem is not None or document is None:
            raise CannotRun(f"nothing written: {location(problem) if problem else shown}: "
                            f"{problem.message if problem else 'unreadable'}"
                            + (f" ({problem.hint})" if problem and problem.hint else ""))
    else:
        document = dict(_NEW_VOCABULARY)
    if not NAME.match(name):
        raise CannotRun(f"nothing written: '{name}' is not a claim name: use lowercase words "
                        "joined by underscores, such as uses_automated_decision_making")
    if name in core_vocabulary():
        raise CannotRun(f"nothing written: '{name}' is a core claim of policygen already, with "
                        "its own meaning on every site: use it as it is")
    if name in document:
        raise CannotRun(f"nothing written: '{name}' is already in {shown}: a published name "
                        "never changes meaning; choose another name for another meaning")
    if kind not in TYPES:
        raise CannotRun(f"nothing written: --type must be one of {', '.join(TYPES)}")
    meaning = " ".join(meaning.split())
    if not meaning:
        raise CannotRun("nothing written: say what the claim means with --meaning")
    if concept is not None and not CONCEPT.match(concept):
        raise CannotRun(f"nothing written: --concept '{concept}' is not a DPV term such as "
                        "dpv:Consent")
    document[name] = {"type": kind, "description": meaning,
                      **({"concept": concept} if concept else {})}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _, problems = parse_vocabulary(document, text, shown, core=core_vocabulary())
    if problems:
        raise CannotRun(f"nothing written: {problems[0].message}")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    print(f"policygen claim add: added '{name}' ({kind}) to {shown}; a statement can now make "
          f"it: claims: {{{name}: ...}}", file=sys.stderr)
    return target

"""The site that a build replaces, kept until the build has shown that it may publish.

MkDocs empties the site folder right after ``on_pre_build``. A build whose plan is still being
made beside it (see ``plan_beside``) may find a problem only later; so the
previous site's files are first moved (renamed: instant) into a hidden folder inside the site
folder, which MkDocs leaves alone as it leaves every hidden file, and moved back if the build
fails. A build that stops half-way leaves them there: the next build moves them back first.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

ASIDE = ".policygen-previous"
REPLACED = ".policygen-replaced"
NO_SITE = ".no-site"
"""Set aside in place of a site folder that was not there: it holds how many folders setting
aside made (the site folder and the missing ones above it), which putting back removes."""


def set_aside(site_dir: Path) -> None:
    """Move the site's files (not its hidden ones) aside."""
    aside = site_dir / ASIDE
    if not site_dir.is_dir():
        made = next(count for count, folder in enumerate([site_dir, *site_dir.parents], 1)
                    if folder.parent == folder or folder.parent.is_dir())
        aside.mkdir(parents=True)
        (aside / NO_SITE).write_text(str(made), "ascii")
        return
    aside.mkdir()
    for entry in sorted(site_dir.iterdir()):
        if not entry.name.startswith("."):
            entry.rename(aside / entry.name)


def put_back(site_dir: Path) -> None:
    """The files set aside replace whatever a build has written since (if any were); what a
    finished build replaced but could not delete goes."""
    shutil.rmtree(site_dir / REPLACED, ignore_errors=True)
    aside = site_dir / ASIDE
    if not aside.is_dir():
        return
    for entry in sorted(site_dir.iterdir()):
        if not entry.name.startswith("."):
            _remove(entry)
    for entry in sorted(aside.iterdir()):
        if entry.name != NO_SITE:
            entry.rename(site_dir / entry.name)
    no_site = aside / NO_SITE
    made = 0
    if no_site.exists():
        said = no_site.read_text("ascii", "replace").strip()
        made = int(said) if said.isdigit() else 1
        no_site.unlink()
    aside.rmdir()
    with contextlib.suppress(OSError):  # a folder someone else has filled since stays
        for folder in [site_dir, *site_dir.parents][:made]:
            folder.rmdir()


def let_go(site_dir: Path) -> Path | None:
    """The build may publish: what it replaces is no longer kept (moved out of the way at once,
    to be deleted with :func:`delete`)."""
    aside = site_dir / ASIDE
    if not aside.is_dir():
        return None
    replaced = site_dir / REPLACED
    aside.rename(replaced)
    return replaced


def delete(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink()

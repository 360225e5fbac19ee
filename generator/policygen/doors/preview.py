"""The live preview keeps up with typing: what a save cannot have changed is not built again.

Under ``mkdocs serve`` every save rebuilds the site into the same folder, which MkDocs empties
first. A file whose inputs are byte for byte those of the last build (a page's Markdown, and the
navigation, configuration and templates it is rendered with; any other file's content) is the
same file: before MkDocs empties the folder it is set aside, MkDocs is told to leave it out, and
once the build is done it is put back, with what MkDocs wrote beside it. Folders are moved whole:
a save costs a few renames per policy, not the rendering, writing and deleting of every page of
the archive (on some disks, making a folder costs twenty renames). Pages in the navigation are
always rendered, since each shows which page is the current one.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygen.source.project_files import ArchiveMemory

ASIDE_FOLDER = ".policygen-preview"
"""Where files wait during a build: hidden, so that MkDocs neither empties nor publishes it."""
SEARCH_INDEX = "search/search_index.json"
"""The search plugin's index (MkDocs' and Material's): it lists the pages rendered by a build."""


@dataclass
class PreviewReuse:
    """What one preview session knows of the files in its site folder, by their path there."""

    kept: dict[str, str] = field(default_factory=dict)
    """The files of the last build that may be reused, with the key of what they were built
    from."""
    script_hashes: dict[str, frozenset[str]] = field(default_factory=dict)
    """The hashes of the inline scripts of those that are pages (for the Content-Security-Policy)."""
    published: set[str] = field(default_factory=set)
    """Every file the last build published from the policy sources."""
    wanted: dict[str, str | None] = field(default_factory=dict)
    """This build: every file it publishes, with its key (None: never reused)."""
    reused: set[str] = field(default_factory=set)
    aside: list[str] = field(default_factory=list)
    """This build: the files and folders set aside, to be put back."""
    site_dir: Path | None = None
    archive: ArchiveMemory = field(default_factory=ArchiveMemory)
    """The release archive as read at the last save: a released file left alone is not read
    again."""
    search_entries: dict[str | None, list[bytes]] = field(default_factory=dict)
    """The last build's search index entries, as JSON, by the page they find: for the reused
    pages' entries to be found again."""

    def set_aside(self, site_dir: Path, wanted: dict[str, str | None]) -> set[str]:
        """Before MkDocs empties ``site_dir``: set aside the files of ``wanted`` that the last
        build made from the same inputs, and return them (MkDocs must leave them out).

        Each top-level folder holding such files is set aside whole, once what it holds besides
        them is deleted: a rename, however many released versions it holds."""
        self.wanted, self.aside, self.site_dir = wanted, [], site_dir
        reused = {path for path, key in wanted.items()
                  if key is not None and self.kept.get(path) == key}
        tops: dict[str, list[str]] = {}
        for path in reused:
            tops.setdefault(path.split("/", 1)[0], []).append(path)
        stale: dict[str, list[str]] = {}
        for path in self.published:
            if path not in reused and "/" in path and path.split("/", 1)[0] in tops:
                stale.setdefault(path.split("/", 1)[0], []).append(path)
        self.reused = set()
        for top, paths in tops.items():
            try:
                for path in stale.get(top, ()):
                    _remove(site_dir / path)
                _move(site_dir / top, site_dir / ASIDE_FOLDER / top)
            except OSError:
                continue  # not there any more: built again
            self.aside.append(top)
            self.reused.update(paths)
        return self.reused

    def page_rendered(self, path: str, script_hashes: set[str]) -> None:
        """A page MkDocs has just rendered, with the inline scripts it carries."""
        self.script_hashes[path] = frozenset(script_hashes)

    def put_back(self, site_dir: Path) -> set[str]:
        """Once MkDocs has built the rest: put back what was set aside, remember what can be
        reused next time, and return the inline script hashes of the reused pages."""
        for top in self.aside:
            kept, built = site_dir / ASIDE_FOLDER / top, site_dir / top
            if os.path.lexists(built):  # MkDocs wrote files there: they join what was kept
                _merge(built, kept)
                _remove(built)
            os.rename(kept, built)
        self.kept = {path: key for path, key in self.wanted.items() if key is not None}
        self.script_hashes = {path: hashes for path, hashes in self.script_hashes.items()
                              if path in self.kept}
        self.published = set(self.wanted)
        self._keep_searchable(site_dir)
        hashes = {digest for path in self.reused for digest in self.script_hashes.get(path, ())}
        self.aside, self.reused = [], set()
        return hashes

    def _keep_searchable(self, site_dir: Path) -> None:
        """The search index of a build lists the pages it rendered: the reused pages' entries
        are carried over from the last one (when the search plugin comes before policygen in
        ``plugins``, and has written its index by now). They are carried as the JSON text they
        were written as: a large archive's index is megabytes, of which a save renders little."""
        index_file = site_dir / SEARCH_INDEX
        try:
            index = json.loads(index_file.read_bytes())
            entries = index["docs"]
        except (OSError, ValueError, TypeError, KeyError):
            self.search_entries = {}
            return
        if not isinstance(entries, list):
            return
        kept: dict[str | None, list[bytes]] = {}
        for entry in entries:
            kept.setdefault(_entry_page(entry), []).append(_json(entry).encode("utf-8"))
        pages = {_page_url(path) for path in self.reused if path.endswith(".html")}
        carried = [(page, texts) for page, texts in self.search_entries.items()
                   if page in pages and page not in kept]
        if carried:
            texts = [text for page_texts in kept.values() for text in page_texts]
            for page, page_texts in carried:
                kept[page] = page_texts
                texts += page_texts
            rest = _json({**{key: value for key, value in index.items() if key != "docs"},
                          "docs": []})
            with open(index_file, "wb") as written:
                written.write(rest[:-2].encode("utf-8"))
                written.write(b",".join(texts))
                written.write(b"]}")
        self.search_entries = kept

    def forget(self) -> None:
        """After a failed build: nothing is known to be in the site folder any more."""
        if self.site_dir is not None:
            shutil.rmtree(self.site_dir / ASIDE_FOLDER, ignore_errors=True)
        self.kept, self.script_hashes, self.published = {}, {}, set()
        self.aside, self.reused = [], set()


def _page_url(path: str) -> str:
    """The address of the page at ``path`` in the site, as the search index writes it."""
    return path.removesuffix("index.html") if path.rsplit("/", 1)[-1] == "index.html" else path


def _json(value: Any) -> str:
    """JSON as the search plugins write their index: compact, not escaped to ASCII."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _entry_page(entry: Any) -> str | None:
    location = entry.get("location") if isinstance(entry, dict) else None
    return location.split("#", 1)[0] if isinstance(location, str) else None


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        shutil.rmtree(target)  # left by a build that failed
    os.replace(source, target)


def _merge(source: Path, target: Path) -> None:
    """Move ``source`` into ``target``, entry by entry: where both have a file, ``source``'s
    wins."""
    if source.is_dir() and not source.is_symlink() and target.is_dir() \
            and not target.is_symlink():
        for entry in list(source.iterdir()):
            _merge(entry, target / entry.name)
        return
    if os.path.lexists(target):
        _remove(target)
    os.rename(source, target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)

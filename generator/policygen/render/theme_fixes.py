"""What Material for MkDocs writes into every page that a validator, axe-core or a strict
Content-Security-Policy objects to, mended in the built HTML (each fix a precise substitution on
markup the theme writes, so that a theme that no longer writes it is simply left alone)."""

from __future__ import annotations

import base64
import hashlib
import re

_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_RESULTS = '<div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>'
_NOT_RUN = re.compile(r'\btype="(?!(?:text|application)/javascript|module)')


def mend(html: str) -> str:
    """The page with the theme's known faults mended:

    - ``autocomplete`` is not allowed on a checkbox (the Nu HTML Checker's error on the theme's
      drawer and search toggles);
    - a "Table of contents" label pointing at a toggle that a page outside the navigation does
      not have (the checker's "for" error) loses its ``for``;
    - the search dialog gets a name (axe-core's ``aria-dialog-name``), and its scrollable,
      focusable results a role and a name (``focus-order-semantics``).
    """
    html = _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)
    if 'id="__toc"' not in html:
        html = html.replace(_TOC_LABEL, '<label class="md-nav__title">')
    html = html.replace(_SEARCH_RESULTS,
                        _SEARCH_RESULTS[:-1] + ' role="region" aria-label="Search results">')
    return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">')


def inline_script_hashes(html: str) -> set[str]:
    """The CSP source expressions (``'sha256-…'``) of every inline script the page runs (not of
    data blocks such as ``type="application/json"``, which a browser never runs)."""
    found = set()
    start = html.find("<script")
    while start != -1:  # <script ATTRIBUTES>CODE</script>, found without a regular expression
        opened = html.find(">", start)
        closed = html.find("</script>", opened)
        if opened == -1 or closed == -1:
            break
        attributes, code = html[start + len("<script"):opened], html[opened + 1:closed]
        if "src=" not in attributes and not _NOT_RUN.search(attributes):
            digest = hashlib.sha256(code.encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
        start = html.find("<script", closed)
    return found

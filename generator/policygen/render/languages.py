"""The same page in several languages: the links between them (``hreflang`` in the head, a
visible switch in the page), and the small sitemap that the theme looks for next to each."""

from __future__ import annotations

import html
from dataclasses import dataclass

from policygen.model import urls
from policygen.render.markdown import escape
from policygen.source.languages import labels, language_name


@dataclass(frozen=True)
class LanguageVersion:
    """One page in one language."""

    language: str
    source: str
    """The page's Markdown source (``es/do-not-sell.md``)."""
    url: str
    """Its absolute URL."""


@dataclass(frozen=True)
class Languages:
    """The same page in every language it is published in, the original's first."""

    versions: tuple[LanguageVersion, ...]

    def alternates(self) -> list[dict[str, str]]:
        """``hreflang`` links for the head: every language, and the original as the default.
        Each ``href`` is the page's path from the site root; the theme writes it relative to
        the page it is on (as the theme's own language links are), which keeps a preview or a
        copy of the site on its own host."""
        return [*({"hreflang": version.language, "href": urls.page_url_of(version.source)}
                  for version in self.versions),
                {"hreflang": "x-default", "href": urls.page_url_of(self.versions[0].source)}]

    def switch(self, here: str, language: str) -> str:
        """A visible paragraph linking the page built from ``here`` to its other languages."""
        words = labels(language)
        label = html.escape(words["languages"])
        if words.language != language:
            label = f'<span lang="{words.language}">{label}</span>'
        links = " · ".join(
            f"[{escape(language_name(version.language))}]"
            f"({urls.relative_link(here, version.source)})"
            f'{{: hreflang="{version.language}" lang="{version.language}" }}'
            for version in self.versions if version.source != here
        )
        return (f"{label}: {links}\n"
                f'{{: .policy-languages role="navigation" aria-label="{words["languages"]}" }}\n\n')

    def sitemap(self, here: LanguageVersion) -> str:
        """The sitemap that the theme fetches next to every ``hreflang`` link (``sitemap.xml``
        beside the page): the page itself, with its languages."""
        every = [*((version.language, version.url) for version in self.versions),
                 ("x-default", self.versions[0].url)]
        links = "".join(
            f'    <xhtml:link rel="alternate" hreflang="{html.escape(language)}" '
            f'href="{html.escape(url)}"/>\n'
            for language, url in every
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
            f"  <url>\n    <loc>{html.escape(here.url)}</loc>\n{links}  </url>\n</urlset>\n"
        )

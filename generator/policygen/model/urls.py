"""Where everything is published, relative to the site root: one place for every URL rule."""

from __future__ import annotations

import posixpath

DISCLOSURE_FORMAT = "1.0"
DISCLOSURE_SCHEMA_PATH = "schema/disclosure/v1.json"
CONTEXT_PATH = "schema/disclosure/v1.context.jsonld"
CATALOG_SCHEMA_PATH = "schema/catalog/v1.json"
SOURCE_SCHEMA_PATH = "schema/policy/v1.json"
TRANSLATION_SCHEMA_PATH = "schema/translation/v1.json"
CORE_VOCABULARY_PATH = "schema/claims/core/v1.json"
SITE_VOCABULARY_PATH = "schema/claims/site.json"
CATALOG_PATH = "disclosures/index.json"
INDEX_PAGE = "index.md"
FORMAT_PAGE = "schema/disclosure.md"
GPC_PATH = ".well-known/gpc.json"
HEADERS_PATH = "_headers"
NOJEKYLL_PATH = ".nojekyll"


def page_source(policy_id: str) -> str:
    return f"{policy_id}.md"


def version_page_source(policy_id: str, version: str) -> str:
    return f"{policy_id}/{version}.md"


def history_page_source(policy_id: str) -> str:
    return f"{policy_id}/history.md"


def translation_page_source(policy_id: str, language: str) -> str:
    return f"{language}/{policy_id}.md"


def translation_version_page_source(policy_id: str, language: str, version: str) -> str:
    return f"{language}/{policy_id}/{version}.md"


def page_url_of(source: str) -> str:
    """The URL of the page built from the Markdown ``source`` (``es/do-not-sell.md`` →
    ``es/do-not-sell/``; ``index.md`` → the site root)."""
    stem = source.removesuffix(".md")
    return "" if stem == "index" else stem + "/"


SITE_FEED_PATH = "feed.xml"


def feed_path(policy_id: str) -> str:
    return f"{policy_id}/feed.xml"


def version_anchor(version: str) -> str:
    return "version-" + version.replace(".", "-")


def page_url(policy_id: str) -> str:
    return f"{policy_id}/"


def version_page_url(policy_id: str, version: str) -> str:
    return f"{policy_id}/{version}/"


def disclosure_path(policy_id: str) -> str:
    return f"disclosures/{policy_id}.json"


def version_disclosure_path(policy_id: str, version: str) -> str:
    return f"disclosures/{policy_id}/{version}.json"


def absolute(site_url: str, path: str) -> str:
    """``path`` (relative to the site root) as an absolute URL under ``site_url``."""
    return site_url.rstrip("/") + "/" + path


def relative_link(from_source: str, to_path: str) -> str:
    """A Markdown link from the page built from ``from_source`` to the file ``to_path``."""
    return posixpath.relpath(to_path, posixpath.dirname(from_source) or ".")

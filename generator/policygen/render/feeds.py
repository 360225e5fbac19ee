"""Atom feeds (RFC 4287) of released versions: one per policy at ``/ID/feed.xml`` and one for the
whole site at ``/feed.xml``, so that people and tools learn of a new version without polling the
pages. Every date comes from the sources (a version's effective date), never from the clock, and
an entry's id is its version's permanent address, so it never changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from policygen.model import urls
from policygen.model.policy import Policy


@dataclass(frozen=True)
class FeedEntry:
    """One released version: what its entry says (small, so that it is cached per release)."""

    policy_id: str
    title: str
    version: str
    summary: str
    effective_date: str

    @classmethod
    def of(cls, policy: Policy) -> FeedEntry:
        return cls(policy.id, policy.title, policy.version, policy.summary, policy.effective_date)

    @property
    def updated(self) -> str:
        return f"{self.effective_date}T00:00:00Z"

    def sort_key(self) -> tuple[str, str, tuple[int, ...]]:
        return (self.updated, self.policy_id,
                tuple(int(part) for part in self.version.split(".")))


def policy_feed(current: Policy, entries: Iterable[FeedEntry], site_url: str) -> bytes:
    """The feed of one policy's released versions, newest first."""
    return _feed(
        title=f"{current.title} — versions", path=urls.feed_path(current.id),
        page=urls.page_url(current.id), author=(current.publisher.name, current.publisher.url),
        entries=entries, site_url=site_url, fallback=current.effective_date,
    )


def site_feed(policies: Iterable[Policy], entries: Iterable[FeedEntry], site_url: str) -> bytes:
    """The feed of every policy's released versions, newest first."""
    policies = sorted(policies, key=lambda policy: policy.id)
    publisher = policies[0].publisher if policies else None
    return _feed(
        title=f"{publisher.name} policies — versions" if publisher else "Policies — versions",
        path=urls.SITE_FEED_PATH, page="", author=(publisher.name, publisher.url) if publisher else None,
        entries=entries, site_url=site_url,
        fallback=max((policy.effective_date for policy in policies), default="1970-01-01"),
    )


def _feed(*, title: str, path: str, page: str, author: tuple[str, str] | None,
          entries: Iterable[FeedEntry], site_url: str, fallback: str) -> bytes:
    ordered = sorted(entries, key=FeedEntry.sort_key, reverse=True)
    feed_url = urls.absolute(site_url, path)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(title)}</title>",
        f"  <updated>{ordered[0].updated if ordered else f'{fallback}T00:00:00Z'}</updated>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href=\"{escape(feed_url)}\"/>",
        f"  <link rel=\"alternate\" type=\"text/html\" "
        f"href=\"{escape(urls.absolute(site_url, page))}\"/>",
    ]
    if author is not None:
        lines.append(f"  <author><name>{escape(author[0])}</name><uri>{escape(author[1])}</uri>"
                     "</author>")
    for entry in ordered:
        version_page = urls.absolute(site_url, urls.version_page_url(entry.policy_id,
                                                                     entry.version))
        changes = (urls.absolute(site_url, f"{entry.policy_id}/history/") + "#"
                   + urls.version_anchor(entry.version))
        lines += [
            "  <entry>",
            f"    <id>{escape(version_page)}</id>",
            f"    <title>{escape(f'{entry.title} — version {entry.version}')}</title>",
            f"    <updated>{entry.updated}</updated>",
            f"    <summary>{escape(entry.summary)}</summary>",
            f"    <link rel=\"alternate\" type=\"text/html\" href=\"{escape(version_page)}\"/>",
            f"    <link rel=\"related\" type=\"text/html\" title=\"What changed\" "
            f"href=\"{escape(changes)}\"/>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")

"""What an address in a policy must be before it is written into a page or a disclosure: an
absolute ``https:`` URL, or an e-mail address (``mailto:``). One place decides, for the rules
that report a bad address and for the renderer that writes links."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
"""An e-mail address as legal text writes it (also how a bare one is found in the text)."""

_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_TOP_LEVEL = re.compile(r"^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_FORBIDDEN = set("\"'<>\\^`{|}")


def https_url_problem(url: str) -> str | None:
    """Why ``url`` is not an absolute https: URL that a page may link to (None: it is)."""
    if any(character.isspace() or character in _FORBIDDEN or not character.isprintable()
           for character in url):
        return "it contains spaces, quotes, angle brackets or other characters a URL cannot hold"
    if not url.isascii():
        return "it contains characters outside ASCII: percent-encode them (and write the " \
               "host name in its xn-- form)"
    if _PERCENT.search(url):
        return "a % must be followed by two hexadecimal digits"
    parts = urlsplit(url)
    if parts.scheme != "https" or not url.startswith("https://"):
        return "it is not an absolute https:// address"
    if "@" in parts.netloc:
        return "it carries a user name or password before the host"
    host = parts.hostname or ""
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels) \
            or not _TOP_LEVEL.match(labels[-1]):
        return f"'{host}' is not a host name such as www.example.com"
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "its port is not a number"
    return None


def email_problem(address: str) -> str | None:
    """Why ``address`` is not an e-mail address such as privacy@example.com (None: it is)."""
    if EMAIL.fullmatch(address) is None:
        return "it is not an e-mail address such as privacy@example.com"
    return None


def link_problem(target: str) -> str | None:
    """Why ``target`` cannot be a link: an https: URL or ``mailto:`` and an address."""
    if target.startswith("mailto:"):
        return email_problem(target.removeprefix("mailto:"))
    return https_url_problem(target)


def is_safe_link(target: str) -> bool:
    return link_problem(target) is None

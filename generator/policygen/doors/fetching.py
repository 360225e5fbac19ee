"""Fetching what a site publishes, for the commands that look at the live site (``verify``,
``check --published``): http(s) URLs from the web, anything else as a local file."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from policygen.model.problems import CannotRun

TIMEOUT_SECONDS = 20


class NotFound(CannotRun):
    """The server answered that nothing is published at this URL (HTTP 404 or 410)."""


def fetch(url: str) -> bytes:
    """The bytes at ``url`` (http or https), or at a local path."""
    scheme = urlsplit(url).scheme
    if scheme not in ("http", "https"):
        if scheme and len(scheme) > 1:
            raise CannotRun(f"cannot fetch {url}: only http and https URLs, or local files")
        try:
            return Path(url).read_bytes()
        except FileNotFoundError as error:
            raise NotFound(f"cannot read {url}: no such file") from error
        except OSError as error:
            raise CannotRun(f"cannot read {url}: {error.strerror}") from error
    request = urllib.request.Request(url, headers={"User-Agent": "policygen"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            content: bytes = response.read()
            return content
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            raise NotFound(f"cannot fetch {url}: HTTP {error.code}") from error
        raise CannotRun(f"cannot fetch {url}: HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise CannotRun(f"cannot fetch {url}: {error}") from error

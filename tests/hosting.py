"""A static host for tests: the built site on a loopback port, served with the headers its
``_headers`` file asks for (the Netlify and Cloudflare Pages format: a path, ``*`` for any
rest, then indented ``Name: value`` lines; every matching rule applies, the later winning)."""

from __future__ import annotations

import http.server
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from policygen.doors.printing import serving


def read_headers(site: Path) -> list[tuple[re.Pattern[str], dict[str, str]]]:
    rules: ClassVar[list[tuple[re.Pattern[str], dict[str, str]]]] = []
    for line in (site / "_headers").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            pattern = "^" + re.escape(line.strip()).replace(r"\*", ".*") + "$"
            rules.append((re.compile(pattern), {}))
        else:
            name, _, value = line.strip().partition(": ")
            rules[-1][1][name] = value
    return rules


class _Handler(http.server.SimpleHTTPRequestHandler):
    rules: ClassVar[list[tuple[re.Pattern[str], dict[str, str]]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        path = self.path.split("?")[0].split("#")[0]
        chosen: dict[str, str] = {}
        for pattern, headers in self.rules:
            if pattern.match(path):
                chosen.update(headers)
        for name, value in chosen.items():
            if name == "Content-Type":
                continue  # sent already by the file server; checked in the disclosure tests
            self.send_header(name, value)
        super().end_headers()


@contextmanager
def serving_with_headers(site: Path) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"rules": read_headers(site)})
    with serving(site, handler) as url:
        yield url

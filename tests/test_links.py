"""``policygen links`` against a real HTTP server on 127.0.0.1 that plays every kind of trouble a
link meets on the web, each with the exact verdict it must get."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import copy_project
from policygen.doors.cli import main
from policygen.doors.links import check_links, http_fetcher, link_targets, parse_remaps
from policygen.source.project import Project
from policygen.source.project_files import read_project

PRIVACY_POLICY = b"""<!doctype html><html><body>
<h1>Privacy Policy</h1>
<h2 id="principles">1. Our Privacy Principles</h2><p>...</p>
<h2>3. Choices You Have</h2><p>...</p>
<h2>4. Cookies</h2><p>...</p>
<h2>5. How We Share Information</h2><p>...</p>
</body></html>"""


class Trouble(http.server.BaseHTTPRequestHandler):
    """Every path one kind of answer; ``seen`` counts requests per path."""

    seen: ClassVar[Counter[str]] = Counter()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(body=False)

    def do_GET(self, body: bool = True) -> None:
        path = self.path
        self.seen[path] += 1
        count = self.seen[path]
        if path == "/hang":
            time.sleep(8)
            return
        status, headers, content = 200, {}, b"<p>fine</p>"
        if path == "/privacy-policy/":
            content = PRIVACY_POLICY
        elif path == "/missing":
            status = 404
        elif path == "/always-500" or (path == "/flaky" and count == 1):
            status = 500
        elif path == "/busy" and count == 1:
            status, headers = 429, {"Retry-After": "1"}
        elif path == "/moved":
            status, headers = 301, {"Location": "/moved-again"}
        elif path == "/moved-again":
            status, headers = 308, {"Location": "/good"}
        elif path == "/temporary":
            status, headers = 302, {"Location": "/good"}
        elif path in ("/loop", "/loop-back"):
            status, headers = 302, {"Location": "/loop-back" if path == "/loop" else "/loop"}
        elif path == "/no-head" and self.command == "HEAD":
            status = 405
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if body and self.command == "GET":
            self.wfile.write(content)


@pytest.fixture
def server() -> Iterator[str]:
    Trouble.seen = Counter()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trouble)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


LINKS = ["good", "missing", "always-500", "flaky", "busy", "moved", "temporary", "loop", "hang",
         "no-head"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    source = project / "policy" / "do-not-sell.yaml"
    text = source.read_text("utf-8")
    declared = "".join(f"  {name}: https://elsewhere.example/{name}\n" for name in LINKS)
    text = text.replace("\nprivacy_policy:\n", f"\nlinks:\n{declared}privacy_policy:\n", 1)
    text = text.replace(
        "    - number: 4\n      # anchor: section-4   # add the Privacy Policy's own anchor once it "
        "publishes one\n",
        "    - number: 1\n      heading: Our Privacy Principles\n"
        "    - number: 2\n      anchor: gone\n"
        "    - number: 3\n      heading: Your Choices\n"
        "    - number: 4\n      heading: How We Share Information\n"
        "    - number: 9\n", 1,
    )
    source.write_text(text, "utf-8")
    return project


def test_every_kind_of_trouble_gets_its_verdict(project: Path, server: str) -> None:
    targets = link_targets(read_project(Project.at(project)))
    assert len(targets) == 12  # one request per distinct URL, however many declarations use it
    fetch = http_fetcher(2.0, parse_remaps([f"^https://[^/]+/ {server}"]))
    started = time.monotonic()
    problems = check_links(targets, fetch)
    assert time.monotonic() - started < 15  # the server that never answers does not hold it up
    found = {(p.rule, p.line, p.message.replace(server, "SERVER/")) for p in problems}
    line = {name: 19 + index for index, name in enumerate(LINKS)}
    assert found == {
        ("link-broken", line["missing"], "https://elsewhere.example/missing is broken: the "
                                         "server answers HTTP 404"),
        ("link-broken", line["always-500"], "https://elsewhere.example/always-500 is broken: the "
                                            "server answers HTTP 500"),
        ("link-moved", line["moved"], "https://elsewhere.example/moved has moved permanently to "
                                      "SERVER/good"),
        ("link-broken", line["loop"], "https://elsewhere.example/loop is broken: its redirects "
                                      "go round in a loop"),
        ("link-broken", line["hang"], "https://elsewhere.example/hang is broken: no answer "
                                      "within 2 seconds"),
        ("section-anchor-missing", 35, "the Privacy Policy has no anchor #gone (section 2)"),
        ("section-reworded", 36, "section 3 of the Privacy Policy is now headed “3. Choices You "
                                 "Have”, not 'Your Choices'"),
        ("section-renumbered", 38, "the heading 'How We Share Information' is now numbered 5: "
                                   "“5. How We Share Information”"),
        ("section-missing", 40, "the Privacy Policy has no section 9 any more"),
    }
    severities = {p.rule: p.severity for p in problems}
    assert severities["link-moved"] == severities["section-reworded"] == "warning"
    assert Trouble.seen["/flaky"] == 2 and Trouble.seen["/busy"] == 2  # retried, then fine
    assert Trouble.seen["/privacy-policy/"] == 1


def test_the_command_reports_like_check(
    project: Path, server: str, capsys: pytest.CaptureFixture[str],
) -> None:
    remap = f"^https://[^/]+/ {server}"
    assert main(["links", "--root", str(project), "--timeout", "3", "--remap", remap]) == 1
    out = capsys.readouterr().out
    assert "policy/do-not-sell.yaml:20:12: error: https://elsewhere.example/missing is broken: " \
           "the server answers HTTP 404 [link-broken]" in out
    assert main(["links", "--root", str(project), "--timeout", "3", "--remap", remap,
                 "--format", "github"]) == 1
    assert "::error file=policy/do-not-sell.yaml,line=20,col=12,title=link-broken::" in \
        capsys.readouterr().out


def test_the_default_site_is_clean_against_a_good_copy(
    tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str],
) -> None:
    project = copy_project(tmp_path / "clean")
    assert main(["links", "--root", str(project), "--timeout", "2",
                 "--remap", f"^https://www.qualsights.com/privacy-policy/ {server}privacy-policy/",
                 "--remap", f"^https://www.qualsights.com/ {server}good"]) == 0
    assert "policygen links: 2 addresses checked, 0 errors, 0 warnings" in capsys.readouterr().err


def test_declaring_a_section_heading_changes_no_version(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "heading")
    source = project / "policy" / "do-not-sell.yaml"
    source.write_text(source.read_text("utf-8").replace(
        "    - number: 4\n", "    - number: 4\n      heading: How We Share Information\n", 1,
    ), "utf-8")
    assert main(["check", "--root", str(project), "--strict"]) == 0

"""What static hosts read: ``_headers`` (Netlify, Cloudflare Pages) with the media type and CORS
of every machine-readable file and the security headers of every page, and ``.nojekyll``, which
keeps GitHub Pages from dropping ``.well-known/``."""

from __future__ import annotations

from collections.abc import Iterable

from policygen.model import urls
from policygen.model.output import Output

MEDIA_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
    ".xml": "application/atom+xml; charset=utf-8",
}
"""Media types of the machine-readable files (the feeds are the site's only .xml files besides
the sitemap, which hosts serve as XML already and which is left out)."""


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The pages' policy: everything from the site itself, scripts only from its files or with
    one of these hashes (the theme's inline scripts, measured in the built pages), no plugins,
    no framing, no foreign base or form targets."""
    scripts = " ".join(["'self'", *sorted(script_hashes)])
    return (
        "default-src 'self'; "
        f"script-src {scripts}; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def security_headers(script_hashes: Iterable[str]) -> dict[str, str]:
    """The headers every page is served with (Mozilla's HTTP Observatory as the yardstick)."""
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Strict-Transport-Security": "max-age=63072000",
    }


def headers_file(outputs: Iterable[Output], script_hashes: Iterable[str] = ()) -> str:
    """``_headers``: first every page (``/*``), then each machine-readable file, with its media
    type and CORS open (a host applies every rule that matches, the later one winning)."""
    lines = ["/*"] + [f"  {name}: {value}" for name, value in
                      security_headers(script_hashes).items()]
    for output in outputs:
        suffix = "." + output.path.rpartition(".")[2]
        if suffix not in MEDIA_TYPES or output.path == "sitemap.xml":
            continue
        lines += [f"/{output.path}", f"  Content-Type: {MEDIA_TYPES[suffix]}",
                  "  Access-Control-Allow-Origin: *", "  X-Content-Type-Options: nosniff"]
    return "\n".join(lines) + "\n"


def hosting_files(outputs: list[Output]) -> list[Output]:
    """``_headers`` (its page rules completed with the inline scripts' hashes once the pages
    are built) and ``.nojekyll``."""
    return [Output(urls.HEADERS_PATH, headers_file(outputs)), Output(urls.NOJEKYLL_PATH, "")]

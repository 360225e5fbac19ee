"""The MkDocs plugin: a thin adapter that publishes what the core derives from the sources."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from policygen.model import urls
from policygen.model.output import Output
from policygen.model.problems import CannotRun
from policygen.model.report import as_text, only_unreleased, summary, verdict
from policygen.plan.planning import plan
from policygen.render.hosting import headers_file
from policygen.render.theme_fixes import inline_script_hashes, mend
from policygen.source import cache
from policygen.source.package_data import OVERRIDES, data_path
from policygen.source.project import RELEASES, SOURCE_SUFFIXES, Project, today_from_environment
from policygen.source.project_files import read_project

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

REQUIRED_MARKDOWN_EXTENSIONS = ("attr_list", "tables")
STYLESHEET = "assets/policy.css"
"""policygen's styles, shipped in its theme overrides."""


class PolicyPluginConfig(base.Config):
    """The plugin has no options: the project's folders are fixed (see Project.at)."""


class PolicyPlugin(BasePlugin[PolicyPluginConfig]):
    """Turns every policy source in ``docs_dir`` into its page, disclosure and catalog entry."""

    def __init__(self) -> None:
        self.outputs: list[Output] = []
        self.previewing = False
        self.script_hashes: set[str] = set()
        self.rendered: dict[str, tuple[str, str]] = {}
        """Under ``mkdocs serve``: each frozen page's HTML, by its source, with the key of all
        it was rendered from (its Markdown, the navigation, the configuration)."""
        self.keys: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """on_startup: under ``mkdocs serve``, problems are shown in the page, not raised, and
        the pages of released versions are rendered once, not on every save."""
        self.previewing = command == "serve"
        if self.previewing:
            logging.getLogger("mkdocs.structure.pages").addFilter(_reused_page_links)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """on_config: require a site_url and the Markdown extensions the pages use."""
        if not config.site_url:
            raise PluginError(
                "policygen: mkdocs.yml needs a site_url: disclosures carry absolute URLs"
            )
        for extension in REQUIRED_MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        # What every policy site needs (head links, sitemap, accessible and printable styles)
        # ships with policygen: its templates come after the site's own custom_dir, so that a
        # site can still override them, and before the theme's.
        overrides = str(data_path(OVERRIDES))
        if overrides not in config.theme.dirs:
            position = 1 if config.theme.custom_dir else 0
            config.theme.dirs.insert(position, overrides)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        project = self._project(config)
        if Path(config.docs_dir).resolve() != project.policy_dir:
            raise PluginError(
                f"policygen: set 'docs_dir: {project.policy_dir.name}' in mkdocs.yml: the policy "
                "folder is the docs folder, so that check, release and build read the same files"
            )
        return config

    def _project(self, config: MkDocsConfig) -> Project:
        """The project whose mkdocs.yml this is: the same rule as the command line's."""
        return Project.at(Path(config.config_file_path).parent)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """on_pre_build: check every source before MkDocs touches site_dir."""
        self.script_hashes = set()
        try:
            problems, outputs = plan(
                read_project(self._project(config)), config.site_url or "",
                today_from_environment(), preview=self.previewing,
            )
        except CannotRun as error:
            raise PluginError(f"policygen: {error}") from error
        errors = [problem for problem in problems if problem.is_error]
        if self.previewing:
            if problems:
                log.info("policygen: shown in the preview:\n" + as_text(problems))
        elif errors or (config.strict and problems):
            # Raised before MkDocs cleans site_dir: a failed build leaves the old site intact.
            raise PluginError(
                ("policygen: not published: " + verdict(problems) + ":\n"
                 if only_unreleased(problems) else
                 f"policygen: the policy sources have problems ({summary(problems)}):\n")
                + as_text(problems)
            )
        else:
            for problem in problems:
                log.warning(as_text([problem]))
        if self.previewing and problems:
            from policygen.plan.site import with_preview_problems

            outputs = with_preview_problems(outputs, problems)
        self.outputs = outputs
        if config.nav is None:
            # Themes print navigation titles as HTML: escaped, they read as written.
            config.nav = [
                {html.escape(output.title): output.path}
                for output in self.outputs if output.title is not None
            ]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """on_files: drop the sources and the archive, and add the generated pages and JSON.

        Under ``mkdocs serve``, a page of a released version that was rendered before from the
        same Markdown, navigation and configuration is added as the HTML it was rendered to (its
        source stays known to MkDocs, excluded, so that links to it resolve): a save costs the
        pages that can have changed, not the whole archive."""
        for file in list(files):
            if file.src_uri.endswith(SOURCE_SUFFIXES) or file.src_uri.startswith(f"{RELEASES}/"):
                files.remove(file)
        context = _rendering_context(self.outputs, config) if self.previewing else ""
        for output in self.outputs:
            existing = files.get_file_from_path(output.path)
            if existing is not None:
                files.remove(existing)
            # Pages without a place in the navigation (version pages, histories) are generated,
            # not forgotten: MkDocs is told so, and does not list them as missing from the nav.
            in_nav = output.title is not None or not output.is_page
            page = File.generated(
                config, output.path, content=output.content,
                inclusion=InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV,
            )
            if self.previewing and output.frozen:
                key = cache.key("preview-page", str(output.content), context)
                self.keys[output.path] = key
                remembered = self.rendered.get(output.path)
                if remembered is not None and remembered[0] == key:
                    page.inclusion = InclusionLevel.EXCLUDED
                    files.append(File.generated(config, page.dest_uri, content=remembered[1]))
            files.append(page)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        """on_page_markdown: a translated page is shown with the theme's own words in its
        language (or in the shortest form of it that the theme knows, else the site's)."""
        language = page.meta.get("language")
        if isinstance(language, str):
            page.meta["interface_language"] = _interface_language(language, config)
        return markdown

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """on_post_page: mend the theme's markup and measure its inline scripts for the CSP;
        under ``mkdocs serve``, remember the pages of released versions."""
        output = self._mended(output)
        key = self.keys.get(page.file.src_uri)
        if key is not None:
            self.rendered[page.file.src_uri] = (key, output)
        return output

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        """on_post_template: the same for the pages built from templates alone (404.html)."""
        return self._mended(output_content) if template_name.endswith(".html") else output_content

    def _mended(self, html: str) -> str:
        html = mend(html)
        self.script_hashes |= inline_script_hashes(html)
        return html

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """on_post_build: the pages' Content-Security-Policy allows exactly the inline scripts
        they carry (hashes measured in the built pages)."""
        target = Path(config.site_dir) / urls.HEADERS_PATH
        target.write_text(headers_file(self.outputs, self.script_hashes), "utf-8")

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        """on_serve: rebuild when a schema changes, and notice saved files sooner."""
        _poll_faster(server)
        server.watch(str(self._project(config).schema_dir))
        return server


def _rendering_context(outputs: list[Output], config: MkDocsConfig) -> str:
    """All that a page's HTML depends on besides its Markdown: the navigation, the MkDocs
    configuration, and the site's own templates (the theme's and policygen's change only with
    an install, which starts a new preview)."""
    navigation = [(output.title, output.path) for output in outputs if output.title is not None]
    custom = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    templates = sorted(
        (str(path), path.stat().st_mtime_ns) for path in custom.rglob("*") if path.is_file()
    ) if custom is not None and custom.is_dir() else []
    configuration = Path(config.config_file_path).read_bytes() if config.config_file_path else b""
    return cache.key("preview-context", repr(navigation), configuration, repr(templates),
                     str(config.site_url))


def _interface_language(tag: str, config: MkDocsConfig) -> str:
    """The theme's language closest to ``tag`` (pt-BR, then pt), else the site's own."""
    parts = tag.split("-")
    for length in range(len(parts), 0, -1):
        candidate = "-".join(parts[:length])
        if any((Path(folder) / "partials" / "languages" / f"{candidate}.html").is_file()
               for folder in config.theme.dirs):
            return candidate
    return str(config.theme.get("language") or "en")


def _reused_page_links(record: logging.LogRecord) -> bool:
    """Links to a reused page of a released version are fine: MkDocs need not say so."""
    return "which is excluded from the built site" not in record.getMessage()


PREVIEW_POLL_SECONDS = 0.1
"""How often the live preview looks for saved files. MkDocs polls every 0.5 s, which alone takes
half of the one second that a legal editor should wait to see a saved change."""


def _poll_faster(server: LiveReloadServer) -> None:
    """Give the (not yet started) server a faster polling observer, watching the same paths.

    This reaches into MkDocs 1.6's LiveReloadServer (pinned below 2); if its shape differs, the
    preview keeps MkDocs' own observer and is merely slower.
    """
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)
    references = getattr(server, "_watch_refs", None)
    if not isinstance(watched, dict) or not isinstance(references, dict):
        return
    if getattr(server.observer, "timeout", 0) <= PREVIEW_POLL_SECONDS:
        return
    paths = list(watched)
    server.observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    watched.clear()
    references.clear()
    for path in paths:
        server.watch(path)

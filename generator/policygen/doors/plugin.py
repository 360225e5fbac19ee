"""The MkDocs plugin: a thin adapter that publishes what the core derives from the sources."""

from __future__ import annotations

import html
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from mkdocs.config import base
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from policygen.doors.preview import PreviewReuse
from policygen.doors.previous_site import delete, let_go, put_back, set_aside
from policygen.model import urls
from policygen.model.output import Output
from policygen.model.problems import CannotRun, Problem
from policygen.model.report import as_text, only_unreleased, summary, verdict
from policygen.plan.planning import PlanInProgress, plan, plan_beside
from policygen.render.hosting import headers_file
from policygen.render.theme_fixes import inline_script_hashes, mend
from policygen.source import cache
from policygen.source.package_data import OVERRIDES, data_path
from policygen.source.project import RELEASES, SOURCE_SUFFIXES, Project, today_from_environment
from policygen.source.project_files import read_project

if TYPE_CHECKING:
    from jinja2 import Environment
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
        self.files: list[File] = []
        """This build's generated files, one per output."""
        self.begun = False
        """Whether this build knows its files (a plan made beside it: not before ``on_files``)."""
        self.previewing = False
        self.script_hashes: set[str] = set()
        self.reuse = PreviewReuse()
        """Under ``mkdocs serve``: the files of earlier builds that a save cannot have changed."""
        self.keys: dict[tuple[Output, str], str] = {}
        """Under ``mkdocs serve``: the key of each output of the last build, with its context."""
        self.dirty = False
        self.later: PlanInProgress | None = None
        """A build on a large archive: the history that a helper process is still making."""
        self.waiting: set[str] = set()
        """The files of that history not made yet."""
        self.aside: Path | None = None
        """The site folder whose previous files are set aside, until the build is judged."""
        self.letting_go: threading.Thread | None = None
        """The thread that deletes the previous site once the build is judged sound."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """on_startup: under ``mkdocs serve``, problems are shown in the page, not raised, and
        what a save cannot have changed is not built again (see ``preview``)."""
        self.previewing = command == "serve"
        self.dirty = dirty
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
        """on_pre_build: check every source before MkDocs touches site_dir. A build that finds
        no stored plan has it made beside (see ``plan_beside``), and sets the previous site
        aside until the plan shows that the build may publish (see ``on_files`` and
        ``on_env``)."""
        self.script_hashes = set()
        self.begun = False
        site_dir = Path(config.site_dir)
        if not self.previewing:
            put_back(site_dir)  # a build that stopped half-way: its previous site comes back
        try:
            files = read_project(self._project(config),
                                 memory=self.reuse.archive if self.previewing else None)
            site_url, today = config.site_url or "", today_from_environment()
            self.later = (plan_beside(files, site_url, today)
                          if not (self.previewing or self.dirty) and _others_wait(config)
                          else None)
            if self.later is not None:
                self.aside = site_dir  # first: what a failing set_aside moved is put back too
                set_aside(site_dir)
                log.debug("policygen: the plan is made beside the build, by a helper process; "
                          "the previous site is set aside until the plan is checked")
                return
            problems, outputs = plan(files, site_url, today, preview=self.previewing)
        except CannotRun as error:
            raise PluginError(f"policygen: {error}") from error
        if self.previewing:
            if problems:
                log.info("policygen: shown in the preview:\n" + as_text(problems))
                from policygen.plan.site import with_preview_problems

                outputs = with_preview_problems(outputs, problems)
        else:
            # Raised before MkDocs cleans site_dir: a failed build leaves the old site intact.
            _judge(problems, config)
        self._begin(outputs, config)
        if self.previewing:
            # Still before MkDocs empties site_dir: what a save cannot have changed is set
            # aside, and left out of the build (its source stays known to MkDocs, excluded, so
            # that links to it resolve).
            context = _rendering_context(outputs, config)
            previous, self.keys = self.keys, {}
            wanted: dict[str, str | None] = {}
            for output, file in zip(outputs, self.files, strict=True):
                key = None
                if _reusable(output):
                    made = (output, context if output.is_page else "")
                    key = self.keys[made] = previous.get(made) or cache.key(
                        "preview", output.content, made[1])
                wanted[file.dest_uri] = key
            reused = self.reuse.set_aside(Path(config.site_dir), wanted)
            for file in self.files:
                if file.dest_uri in reused:
                    file.inclusion = InclusionLevel.EXCLUDED

    def _begin(self, outputs: list[Output], config: MkDocsConfig) -> None:
        """The files this build publishes, and its navigation (unless mkdocs.yml has one)."""
        self.begun = True
        self.outputs = outputs
        if config.nav is None:
            # Themes print navigation titles as HTML: escaped, they read as written.
            config.nav = [
                {html.escape(output.title): output.path}
                for output in outputs if output.title is not None
            ]
        # Pages without a place in the navigation (version pages, histories) are generated,
        # not forgotten: MkDocs is told so, and does not list them as missing from the nav.
        self.files = [File.generated(
            config, output.path, content=output.content,
            inclusion=(InclusionLevel.INCLUDED if output.title is not None or not output.is_page
                       else InclusionLevel.NOT_IN_NAV),
        ) for output in outputs]

    def _begin_beside(self, config: MkDocsConfig) -> None:
        """A build whose plan is made beside it begins once the plan's first part is there (the
        whole plan, on a small archive), unless that already refuses it."""
        assert self.later is not None
        try:
            problems, outputs = self.later.begun()
        except CannotRun as error:
            raise PluginError(f"policygen: {error}") from error
        if _refused(problems, config):
            self._end()
            _refuse(problems)
        self.waiting = {output.path for output in outputs if output.later}
        if self.waiting:
            log.debug(f"policygen: {len(self.waiting)} files of the history are made beside "
                      "the build; the previous site is set aside until they are checked")
        self._begin(outputs, config)

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        """on_pre_page: a page of the history, as soon as the helper has made it."""
        if self.later is not None and page.file.src_uri in self.waiting:
            content = self.later.content(page.file.src_uri)
            page.file.content_string = content if isinstance(content, str) else content.decode()
        return page

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """on_env: the pages are read, nothing is written yet: the whole plan, with its released
        versions checked, decides whether the build goes on. If not, the previous site comes
        back."""
        if self.later is None:
            return env
        self.waiting = set()
        problems, outputs = self.later.finish()
        if _refused(problems, config):
            self._put_back()
            _refuse(problems)
        begun = {output.path: output for output in self.outputs}
        if [output.path for output in outputs] != list(begun) or any(
            output.is_page and not begun[output.path].later
            and output.content != begun[output.path].content for output in outputs
        ):
            self._put_back()
            raise PluginError("policygen: the site planned beside the build is not the one it "
                              "began with; this is policygen's bug: please report it")
        _judge(problems, config)
        for file, output in zip(self.files, outputs, strict=True):
            if isinstance(output.content, str):
                file.content_string = output.content
            else:
                file.content_bytes = output.content
        self.outputs = outputs
        # The previous site goes while MkDocs renders (deleting is mostly waiting on the disk).
        replaced = let_go(Path(config.site_dir))
        self.aside = None
        if replaced is not None:
            self.letting_go = threading.Thread(target=delete, args=(replaced,),
                                               name="policygen: the previous site goes")
            self.letting_go.start()
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """on_files: drop the sources and the archive, and add the generated pages and JSON."""
        if self.later is not None and not self.begun:
            self._begin_beside(config)
        for file in list(files):
            if file.src_uri.endswith(SOURCE_SUFFIXES) or file.src_uri.startswith(f"{RELEASES}/"):
                files.remove(file)
        for file in self.files:
            existing = files.get_file_from_path(file.src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(file)
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
        """on_post_page: mend the theme's markup and measure its inline scripts for the CSP."""
        output = self._mended(output)
        if self.previewing:
            self.reuse.page_rendered(page.file.dest_uri, inline_script_hashes(output))
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
        they carry (hashes measured in the built pages, and kept with the pages a preview
        reuses)."""
        site_dir = Path(config.site_dir)
        self._end()
        if self.previewing:
            self.script_hashes |= self.reuse.put_back(site_dir)
        target = site_dir / urls.HEADERS_PATH
        target.write_text(headers_file(self.outputs, self.script_hashes), "utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        """on_build_error: a preview whose build failed half-way knows nothing of its site
        folder any more: the next build makes everything again. A build that set the previous
        site aside puts it back."""
        if self.previewing:
            self.reuse.forget()
        self._end()

    def on_shutdown(self) -> None:
        """on_shutdown: also after an interruption (Ctrl-C), which is no build error."""
        self._end()

    def _end(self) -> None:
        """However the build ends: its helper is waited for (stopped, if it has not sent its
        plan yet), and so is the deleting of the previous site; a build that ends before it was
        judged puts the previous site back (once judged, the site is what MkDocs made of it)."""
        if self.later is not None:
            self.later.cancel()
            self.later = None
        if self.letting_go is not None:
            self.letting_go.join()
            self.letting_go = None
        self._put_back()

    def _put_back(self) -> None:
        if self.aside is not None:
            put_back(self.aside)
            self.aside = None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig,
                 builder: Any) -> LiveReloadServer:
        """on_serve: rebuild when a schema changes, and notice saved files sooner."""
        project = self._project(config)
        _poll_faster(server, project)
        server.watch(str(project.schema_dir))
        return server


PLUGINS_THAT_WAIT = frozenset({"search", "material/search"})
"""Plugins known to read no page before ``on_pre_page``: beside them, the pages of a large
history can be made while MkDocs works (another plugin might read them empty before)."""


def _others_wait(config: MkDocsConfig) -> bool:
    return all(name in PLUGINS_THAT_WAIT or isinstance(plugin, PolicyPlugin)
               for name, plugin in config.plugins.items())


def _refused(problems: tuple[Problem, ...], config: MkDocsConfig) -> bool:
    return any(problem.is_error for problem in problems) or bool(config.strict and problems)


def _refuse(problems: tuple[Problem, ...]) -> NoReturn:
    raise PluginError(
        ("policygen: not published: " + verdict(problems) + ":\n"
         if only_unreleased(problems) else
         f"policygen: the policy sources have problems ({summary(problems)}):\n")
        + as_text(problems)
    )


def _judge(problems: tuple[Problem, ...], config: MkDocsConfig) -> None:
    """Refuse to publish with errors (or, strict, with any problem); else say the warnings."""
    if _refused(problems, config):
        _refuse(problems)
    for problem in problems:
        log.warning(as_text([problem]))


def _reusable(output: Output) -> bool:
    """Whether a preview may take ``output`` from an earlier build when its inputs are the same:
    not a page of the navigation (each shows which page is current), nor ``_headers`` (written
    once the pages are built)."""
    return output.path != urls.HEADERS_PATH and not (output.is_page and output.title is not None)


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
ARCHIVE_POLL_SECONDS = 1.0
"""How often it looks at the release archive, which only ``policygen release`` changes: a poll
reads every file's details, and thousands of released files polled ten times a second would
slow down every rebuild."""


def _poll_faster(server: LiveReloadServer, project: Project) -> None:
    """Give the (not yet started) server a faster polling observer, watching the same paths,
    the release archive less often.

    This reaches into MkDocs 1.6's LiveReloadServer (pinned below 2) and watchdog's observer; if
    their shape differs, the preview keeps MkDocs' own observer and is merely slower.
    """
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)
    references = getattr(server, "_watch_refs", None)
    if not isinstance(watched, dict) or not isinstance(references, dict):
        return
    if getattr(server.observer, "timeout", 0) <= PREVIEW_POLL_SECONDS:
        return
    paths = list(watched)
    server.observer = observer = PollingObserver(timeout=PREVIEW_POLL_SECONDS)
    watched.clear()
    references.clear()
    archive = project.policy_dir / RELEASES
    for path in paths:
        if Path(path) != project.policy_dir or not archive.is_dir():
            server.watch(path)
            continue
        server.watch(path, recursive=False)
        for folder in sorted(project.policy_dir.iterdir()):
            if folder.is_dir() and folder != archive:
                server.watch(str(folder))
        observer._timeout = ARCHIVE_POLL_SECONDS
        try:
            server.watch(str(archive))
        finally:
            observer._timeout = PREVIEW_POLL_SECONDS

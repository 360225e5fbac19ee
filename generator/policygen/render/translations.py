"""The page of a translation: the translated text with the original's version, dates and links,
saying which version it renders and where the current one is."""

from __future__ import annotations

from policygen.model import urls
from policygen.model.policy import Policy
from policygen.render.languages import Languages, LanguageVersion
from policygen.render.markdown import escape, front_matter
from policygen.render.page import body, meta_line
from policygen.source.languages import labels, language_name


def translation_page(
    rendered: Policy, current_version: str, source: str, languages: Languages,
    current: LanguageVersion, *, permanent: bool,
) -> str:
    """The Markdown of a translated page: ``/LANG/ID/`` (the latest translation) or, when
    ``permanent``, ``/LANG/ID/VERSION/``. ``rendered`` is the translation with the original's
    version, dates and links; ``current`` is where the current version can be read."""
    words = labels(rendered.language)
    english = "" if words.language == rendered.language else f' lang="{words.language}"'
    read_current = (f"[{escape(words['read_current'].format(language=language_name(current.language)))}]"
                    f"({urls.relative_link(source, current.source)}){{: hreflang=\"{current.language}\" }}")
    if rendered.version != current_version:
        said = words["superseded" if permanent else "older"].format(
            version=rendered.version, current=current_version)
        note = (f"**{escape(said)}** {read_current}\n"
                f"{{: .policy-version-note .policy-superseded{english} }}\n\n")
    elif permanent:
        note = (f"{escape(words['permanent'].format(version=rendered.version))}\n"
                f"{{: .policy-version-note{english} }}\n\n")
    else:
        note = ""
    disclosure = urls.version_disclosure_path(rendered.id, rendered.version)
    return (
        front_matter(
            title=rendered.title + (f" — {rendered.version}" if permanent else ""),
            language=rendered.language, alternates=languages.alternates(),
            disclosure=disclosure, feed=urls.feed_path(rendered.id),
        )
        + f"\n# {escape(rendered.title)}\n\n"
        + note
        + languages.switch(source, rendered.language)
        + f"{escape(words['translation_of'].format(version=rendered.version))} "
        + meta_line(rendered, source, disclosure, words.words)
        + f"{{: .policy-meta{english} }}\n\n"
        + body(rendered)
    )

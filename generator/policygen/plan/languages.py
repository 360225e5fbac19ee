"""A policy's translations as published: which translation of which version, in which language,
is on which page, and how the languages of one page link to each other."""

from __future__ import annotations

from dataclasses import dataclass

from policygen.model import urls
from policygen.model.output import Output
from policygen.model.policy import Policy
from policygen.model.translation import Translation
from policygen.model.versions import version_key
from policygen.plan.translation_review import original_at
from policygen.render.languages import Languages, LanguageVersion
from policygen.render.translations import translation_page
from policygen.rules.release_rules import released_translation
from policygen.source.archive import Archive


@dataclass(frozen=True)
class PublishedTranslation:
    translation: Translation
    rendered: Policy
    """The translated text with the original's version, dates and links."""

    @property
    def version(self) -> str:
        return self.translation.translates

    @property
    def language(self) -> str:
        return self.translation.language


@dataclass(frozen=True)
class PolicyLanguages:
    """Every published translation of one policy, by version (oldest first) and language."""

    policy: Policy
    site_url: str
    translations: tuple[PublishedTranslation, ...]

    @classmethod
    def of(cls, policy: Policy, archive: Archive, working: tuple[Translation, ...],
           site_url: str) -> PolicyLanguages:
        found: dict[tuple[str, str], PublishedTranslation] = {}
        for release in archive.translations_of(policy.id):
            translation, _ = released_translation(release)
            original = original_at(policy, archive, release.version)
            if translation is not None and original is not None:
                found[release.version, release.language] = PublishedTranslation(
                    translation, translation.rendering(original))
        for translation in working:
            key = (translation.translates, translation.language)
            original = original_at(policy, archive, translation.translates)
            if translation.policy_id == policy.id and key not in found and original is not None:
                found[key] = PublishedTranslation(
                    translation, translation.rendering(original))
        ordered = sorted(found.values(),
                         key=lambda one: (version_key(one.version), one.language))
        return cls(policy, site_url, tuple(ordered))

    def _page(self, source: str, language: str) -> LanguageVersion:
        return LanguageVersion(language, source,
                               urls.absolute(self.site_url, urls.page_url_of(source)))

    def latest(self) -> dict[str, PublishedTranslation]:
        """Each language's newest translation: the one at ``/LANG/ID/``."""
        return {one.language: one for one in self.translations}

    def current(self) -> Languages | None:
        """The policy's page in every language (``/ID/`` and each ``/LANG/ID/``)."""
        if not self.translations:
            return None
        return Languages((
            self._page(urls.page_source(self.policy.id), self.policy.language),
            *(self._page(urls.translation_page_source(self.policy.id, language), language)
              for language in sorted(self.latest())),
        ))

    def at(self, version: str) -> Languages | None:
        """The page of ``version`` in every language it was translated into."""
        languages = [one.language for one in self.translations if one.version == version]
        if not languages:
            return None
        return Languages((
            self._page(urls.version_page_source(self.policy.id, version), self.policy.language),
            *(self._page(urls.translation_version_page_source(self.policy.id, language, version),
                         language) for language in languages),
        ))

    def of_version(self, version: str) -> tuple[tuple[str, str], ...]:
        """(language, page source) of each translation of ``version``."""
        return tuple(
            (one.language,
             urls.translation_version_page_source(self.policy.id, one.language, version))
            for one in self.translations if one.version == version
        )

    def outputs(self) -> list[Output]:
        """The translated pages (each language's latest, and each version's for good), and the
        sitemap beside every page that has languages (the theme fetches it)."""
        policy = self.policy
        outputs: list[Output] = []
        original = self._page(urls.page_source(policy.id), policy.language)
        for language, one in self.latest().items():
            source = urls.translation_page_source(policy.id, language)
            current = (self._page(source, language) if one.version == policy.version
                       else original)
            outputs.append(Output(
                source, translation_page(one.rendered, policy.version, source,
                                         self.current() or Languages(()), current,
                                         permanent=False),
                one.rendered.title, one.translation.source_file,
            ))
        for one in self.translations:
            source = urls.translation_version_page_source(policy.id, one.language, one.version)
            latest = self.latest()[one.language]
            current = (self._page(urls.translation_page_source(policy.id, one.language),
                                  one.language)
                       if latest.version == policy.version else original)
            outputs.append(Output(
                source, translation_page(one.rendered, policy.version, source,
                                         self.at(one.version) or Languages(()), current,
                                         permanent=True),
                source_file=one.translation.source_file,
            ))
        groups = [self.current(), *(self.at(version) for version in
                                    dict.fromkeys(one.version for one in self.translations))]
        for group in groups:
            for page in group.versions if group else ():
                outputs.append(Output(urls.page_url_of(page.source) + "sitemap.xml",
                                      group.sitemap(page) if group else ""))
        return outputs

    def catalog_entries(self) -> dict[str, list[dict[str, str]]]:
        """Per version: each translation's language, page URL and source SHA-256."""
        entries: dict[str, list[dict[str, str]]] = {}
        for one in self.translations:
            entries.setdefault(one.version, []).append({
                "language": one.language,
                "url": urls.absolute(self.site_url, urls.page_url_of(
                    urls.translation_version_page_source(self.policy.id, one.language,
                                                         one.version))),
                "sha256": one.translation.source_sha256,
            })
        return entries

"""The machine-readable disclosure of a policy version, the catalog of all of them, and the
published schemas: plain data in, deterministic UTF-8 JSON bytes out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policygen.model import urls
from policygen.model.policy import Policy
from policygen.model.versions import version_key
from policygen.source.archive import sha256
from policygen.source.vocabulary import Meaning

JSON = dict[str, Any]


def to_json_bytes(document: Mapping[str, Any]) -> bytes:
    """The one serialisation of every published JSON file: stable, readable, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


DPV = "https://w3id.org/dpv#"


def disclosure(policy: Policy, site_url: str, vocabulary: Mapping[str, Meaning]) -> JSON:
    """What the policy version claims, each claim pointing at its statement on the version page
    and, where the vocabulary gives one, naming the DPV concept it is an instance of."""
    version_page = urls.absolute(site_url, urls.version_page_url(policy.id, policy.version))
    privacy_policy = policy.privacy_policy
    return {
        "$schema": urls.absolute(site_url, urls.DISCLOSURE_SCHEMA_PATH),
        "@context": urls.absolute(site_url, urls.CONTEXT_PATH),
        "format_version": urls.DISCLOSURE_FORMAT,
        "id": policy.id,
        "title": policy.title,
        "version": policy.version,
        "effective_date": policy.effective_date,
        "last_reviewed": policy.last_reviewed,
        "review_due": policy.review_due,
        "language": policy.language,
        "page_url": urls.absolute(site_url, urls.page_url(policy.id)),
        "version_page_url": version_page,
        "disclosure_url": urls.absolute(
            site_url, urls.version_disclosure_path(policy.id, policy.version)
        ),
        "publisher": {
            "name": policy.publisher.name,
            "url": policy.publisher.url,
            "contact": "mailto:" + policy.publisher.contact,
        },
        "privacy_policy": {
            "url": privacy_policy.url,
            "sections": [
                {"number": section.number, "url": privacy_policy.section_url(section)}
                for section in privacy_policy.sections
            ],
        } if privacy_policy else None,
        "claims": {
            claim.name: {
                "value": list(claim.value) if isinstance(claim.value, tuple) else claim.value,
                **_concept(vocabulary.get(claim.name)),
                "statement": {
                    "id": statement.id,
                    "url": f"{version_page}#{statement.id}",
                    "text": statement.visible_text,
                },
            }
            for statement, claim in policy.claims
        },
    }


GPC_CLAIM = "honors_global_privacy_control"


def gpc_resource(policy: Policy) -> JSON | None:
    """``/.well-known/gpc.json`` as the GPC specification defines it, when the policy states a
    stance: ``gpc`` (boolean) and ``lastUpdate`` (the version's effective date, RFC 3339)."""
    for _, claim in policy.claims:
        if claim.name == GPC_CLAIM and isinstance(claim.value, bool):
            return {"gpc": claim.value, "lastUpdate": policy.effective_date}
    return None


def _concept(meaning: Meaning | None) -> JSON:
    return {"concept": meaning.concept} if meaning and meaning.concept else {}


def json_ld_context(site_url: str) -> JSON:
    """The JSON-LD context of the disclosure format, served from the site itself.

    Plain-JSON readers ignore it. For linked-data readers it makes each claim a node whose
    ``@type`` is its DPV concept, the disclosure's own URL its ``@id``, and the remaining keys
    terms of a vocabulary at this context's URL.
    """
    identified_by_url: JSON = {"url": "@id"}
    return {"@context": {
        "@version": 1.1,
        "@vocab": urls.absolute(site_url, urls.CONTEXT_PATH) + "#",
        "dpv": DPV,
        "dct": "http://purl.org/dc/terms/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "$schema": {"@id": "dct:conformsTo", "@type": "@id"},
        "disclosure_url": "@id",
        "id": "dct:identifier",
        "title": "dct:title",
        "language": "dct:language",
        "effective_date": {"@id": "dct:valid", "@type": "xsd:date"},
        "last_reviewed": {"@type": "xsd:date"},
        "review_due": {"@type": "xsd:date"},
        "page_url": {"@type": "@id"},
        "version_page_url": {"@type": "@id"},
        "publisher": {"@id": "dct:publisher", "@context": {
            **identified_by_url, "contact": {"@type": "@id"},
        }},
        "privacy_policy": {"@context": identified_by_url},
        "claims": {"@container": "@index", "@context": {
            "concept": "@type",
            "statement": {"@context": identified_by_url},
        }},
    }}


def catalog_entry(policy: Policy, versions: Mapping[str, bytes], site_url: str,
                  translations: Mapping[str, list[dict[str, str]]] | None = None) -> JSON:
    """One policy in the catalog: every published version with its URL, effective date and
    SHA-256 digest, and its translations (language, page URL, SHA-256 of the translation's
    source). ``versions`` are the exact bytes served, by version."""
    translations = translations or {}
    return {
        "id": policy.id,
        "title": policy.title,
        **({"retired": policy.retired.date} if policy.retired else {}),
        "current_version": policy.version,
        "url": urls.absolute(site_url, urls.disclosure_path(policy.id)),
        "sha256": sha256(versions[policy.version]),
        "page_url": urls.absolute(site_url, urls.page_url(policy.id)),
        "versions": [
            {
                "version": version,
                "effective_date": json.loads(content)["effective_date"],
                "url": urls.absolute(site_url, urls.version_disclosure_path(policy.id, version)),
                "sha256": sha256(content),
                **({"translations": translated}
                   if (translated := translations.get(version)) else {}),
            }
            for version, content in sorted(versions.items(), key=lambda item: version_key(item[0]))
        ],
    }


def catalog(entries: list[JSON], site_url: str) -> JSON:
    """Every policy (``catalog_entry``, in the order of their ids)."""
    return {
        "$schema": urls.absolute(site_url, urls.CATALOG_SCHEMA_PATH),
        "format_version": urls.DISCLOSURE_FORMAT,
        "policies": entries,
    }


def vocabulary_document(vocabulary: Mapping[str, Meaning]) -> JSON:
    """A site's own claim names as published: each with its type, meaning and DPV concept."""
    document: JSON = {"$comment": "The claim names this site adds to policygen's core vocabulary."}
    for name, meaning in sorted(vocabulary.items()):
        document[name] = {
            "type": meaning.type, "description": meaning.description,
            **({"concept": meaning.concept} if meaning.concept else {}),
            **({"source": meaning.source} if meaning.source else {}),
        }
    return document


def published_schema(schema: Mapping[str, Any], site_url: str, path: str) -> JSON:
    """A project schema as published: with ``$id`` set to the URL it is served at."""
    document: JSON = {"$schema": schema["$schema"], "$id": urls.absolute(site_url, path)}
    document.update((key, value) for key, value in schema.items() if key not in document)
    return document

"""policygen: one YAML source per policy → a page for people and a versioned JSON disclosure."""

from __future__ import annotations

__version__ = "0.1.0"

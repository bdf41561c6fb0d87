"""Corrections offered in error messages: the value meant, or the form to write.

An enumerated value gets a did-you-mean from the words analysts use for it
(``probable`` is ICD 203's ``likely``, ``completed`` a meeting ``held``), then
from its spelling; a text where a list is expected gets the list written out.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

import yaml

SYNONYMS: dict[str, str] = {
    # likelihood (ICD 203), in English and French
    "probable": "likely", "probably": "likely", "vraisemblable": "likely",
    "highly-likely": "very-likely", "highly-probable": "very-likely", "tres-probable": "very-likely",
    "improbable": "unlikely", "unlikely-to": "unlikely", "peu-probable": "unlikely",
    "highly-unlikely": "very-unlikely", "tres-improbable": "very-unlikely",
    "even": "roughly-even", "even-chance": "roughly-even", "fifty-fifty": "roughly-even", "possible": "roughly-even",
    "certain": "almost-certain", "nearly-certain": "almost-certain", "quasi-certain": "almost-certain",
    "remote": "almost-no-chance", "no-chance": "almost-no-chance", "impossible": "almost-no-chance",
    # confidence
    "medium": "moderate", "moyenne": "moderate", "moyen": "moderate", "haute": "high", "eleve": "high", "elevee": "high",
    "faible": "low", "basse": "low",
    # meeting status
    "completed": "held", "done": "held", "happened": "held", "took-place": "held", "past": "held",
    "scheduled": "planned", "upcoming": "planned", "expected": "planned", "prevu": "planned", "prevue": "planned",
    "canceled": "cancelled", "called-off": "cancelled", "annule": "cancelled", "annulee": "cancelled",
    # question status
    "closed": "answered", "resolved": "answered", "solved": "answered", "ouverte": "open", "resolue": "answered",
    "irrelevant": "moot", "obsolete": "moot",
    # actor kind
    "individual": "person", "people": "person", "personne": "person", "country": "state", "nation": "state",
    "etat": "state", "pays": "state", "org": "organisation", "organism": "organisation", "institution": "organisation",
    # language
    "english": "en", "anglais": "en", "french": "fr", "francais": "fr",
}
"""Words used for an enumerated value (folded: lowercase ASCII, hyphens) -> the value."""


def _fold(value: str) -> str:
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().replace("_", " ").replace("-", " ").split())


def value_meant(value: str, allowed: list[str]) -> str | None:
    """The allowed value *value* most likely stands for, if any."""
    folded = _fold(value)
    if folded in allowed and folded != value:
        return folded
    same = [choice for choice in allowed if choice.lower() == folded and choice != value]  # `c` for `C`
    if same:
        return same[0]
    meant = SYNONYMS.get(folded)
    if meant in allowed:
        return meant
    close = difflib.get_close_matches(folded, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def as_list(key: str, value: Any) -> str:
    """``about: [joe-biden]``: a field written as the one-item list it should be."""
    item = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 16).strip()
    return f"{key}: {item}"


def citation_items(value: dict) -> str:
    """The fix for citations written as a mapping (``cite:`` then ``mehr: "…"``, without ``- ``)."""
    import json

    source, quote = next(iter(value.items()))
    shown = json.dumps(quote, ensure_ascii=False) if isinstance(quote, str) else "…"
    return f"write each citation as a list item, with `- `: `- {source}: {shown}`"

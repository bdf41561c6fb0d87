"""Every word the tool generates, in French and in English.

Pages and the PDF never hard-code a label: they call :func:`labels` with the
dossier's ``language``. Analytic vocabularies (Admiralty reliability grades,
ICD 203 likelihood words with their probability ranges, confidence levels)
live here too, so the site and the PDF say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.kinds import kinds, on_change
from ..core.words import quote_marks
from .html import keep_guillemets

_FR = {
    "site_title": "Dossiers", "dossiers": "Dossiers", "home": "Accueil",
    "contents": "Sommaire", "summary": "L’essentiel", "key_judgments": "Jugements clés",
    "questions": "Questions ouvertes", "meetings": "Réunions", "actors": "Acteurs", "sources": "Sources",
    "timeline": "Chronologie", "network": "Réseau", "as_of": "Informations arrêtées au",
    "marking": "Mention", "authors": "Auteurs", "status": "Statut",
    "opened": "Ouverte le", "reviewed": "Revue le", "about": "Concerne", "hypotheses": "Hypothèses",
    "indicators": "Indicateurs à surveiller", "answer": "Réponse", "claims": "Faits établis",
    "date": "Date", "place": "Lieu", "participants": "Participants", "topics": "Sujets",
    "outcome": "Résultat", "follows": "Fait suite à", "followed_by": "Réunions qui y font suite", "aliases": "Autres graphies",
    "country": "Pays", "roles": "Fonctions", "kind": "Type", "reliability": "Fiabilité",
    "published": "Publié le", "outlet": "Média", "author": "Auteur", "url": "Adresse",
    "language": "Langue", "notes": "Notes", "confidence": "Confiance", "likelihood": "Probabilité",
    "cited_share": "Part du texte citée", "source_text": "Texte intégral",
    "backlinks": "Pages qui renvoient ici", "meetings_attended": "Réunions",
    "questions_about": "Questions", "members": "Fonctions exercées en son sein",
    "cited_by": "Cité par", "passages": "Passages cités", "download_pdf": "Télécharger la note (PDF)",
    "latest": "Derniers éléments datés", "counts": "En chiffres", "name": "Nom", "title": "Titre", "question": "Question",
    "no_items": "Aucun élément.", "citation": "Citation", "source": "Source", "from": "depuis", "until": "jusqu’à",
    "network_caption": "Acteurs et réunions du dossier ; chaque nœud mène à sa page.",
    "network_hint": "Sur un petit écran, faites défiler le dessin de côté, ou lisez le réseau en listes",
    "network_ties": "Acteurs et leurs liens",
    "timeline_intro": "Chaque élément daté du dossier, à la précision de sa date.",
    "role": "Rôle", "cited_passages_count": "passages cités", "claims_count": "faits",
    "rel_link": "mention", "rel_participant": "participant", "rel_of": "fonction", "rel_country": "pays",
    "rel_follows": "suite", "rel_about": "question", "rel_cites": "citation",
    "kind_dossier": "Dossier", "kind_source": "Source", "kind_actor": "Acteur", "kind_meeting": "Réunion",
    "kind_question": "Question", "tl_meeting": "Réunion", "tl_role-start": "Prise de fonction",
    "tl_role-end": "Fin de fonction", "tl_claim": "Fait", "tl_event": "Événement",
    "passage": "Passage", "passages_short": "Passages", "not_found": "Page introuvable", "search": "Rechercher",
    "edge_attend": "participe à la réunion", "edge_member": "fonction, appartenance ou pays",
    "edge_sequence": "fait suite à (réunions)",
    "download_json": "Données du dossier (JSON)", "download_ftm": "Entités FollowTheMoney",
    "download_annotations": "Citations en annotations W3C", "since_edition": "Depuis l’édition du {date}",
    "no_changes": "Rien n’a changé depuis cette édition.", "ch_added": "Nouveau", "ch_removed": "Retiré",
    "ch_changed": "Révisé", "ch_claim": "Fait", "ch_answer": "Réponse", "ch_hypothesis": "Hypothèse",
    "ch_text_revised": "texte révisé",
    "ch_key_judgment": "Jugement clé", "ch_citations": "citations", "ch_disputed_by": "passages contradictoires",
    "ch_against": "éléments contraires",
    "facts_about": "Faits qui le concernent", "recorded_in": "consigné sous", "disputed_by": "Contesté par",
    "disputed_facts": "Faits contestés", "evidence_matrix": "Matrice des hypothèses concurrentes",
    "matrix_intro": "Chaque passage cité, confronté à chaque hypothèse. Les hypothèses sont classées par les "
                    "éléments qui les contredisent : la moins contredite d’abord.",
    "consistent": "compatible", "inconsistent": "incompatible", "not_applicable": "sans objet",
    "hypothesis": "Hypothèse", "inconsistencies": "Éléments contraires",
    "why_changed": "Raison", "why_missing": "raison du changement non indiquée",
    "ch_assumption": "Postulat", "ch_assumes_revised": "postulats revus", "ch_why_revised": "justification revue",
    "ch_wrong_if_revised": "signes d’invalidation revus",
    "sourcing": "Étayage des faits", "by_count": "Par nombre de sources indépendantes",
    "by_grade": "Par meilleure cote de leurs sources",
    "sourcing_intro": "Les sources indépendantes derrière chaque fait (des sources d’une même origine comptent pour "
                      "une).", "sourcing_open": "Chaque nombre ouvre la liste de ses faits.",
    "sourcing_numbers": "Les numéros renvoient aux faits.",
    "src_none": "sans source", "src_one": "une seule source", "src_two": "deux sources",
    "src_more": "trois sources ou plus", "ungraded": "non cotée", "fact_one": "fait",
    "meetings_one": "réunion", "actors_one": "acteur", "sources_one": "source", "questions_one": "question",
    "cited_passages_count_one": "passage cité",
    "single_source": "source unique", "single_source_tip": "Un seul texte indépendant soutient ce fait.",
    "assumptions": "Postulats clés", "assumption_why": "Pourquoi", "assumption_wrong_if": "Serait démenti si",
    "assumed_by": "Reposent sur lui", "rests_on": "Repose sur", "credibility": "Crédibilité",
    "exclusive": "mutuellement exclusives", "exhaustive": "mutuellement exclusives et exhaustives",
    "matrix_disagrees": "Les probabilités ne suivent pas la matrice : {a} ({la}) est jugée plus probable que {b} "
                        "({lb}), alors que la matrice montre plus d’éléments contraires ({na} contre {nb}).",
    "library": "Bibliothèque", "also_in": "Aussi dans", "library_page": "page de la bibliothèque",
    "library_intro": "Les acteurs, réunions et sources connus de plusieurs dossiers ; chaque page rassemble "
                     "ce que chaque dossier en dit, du plus récent au plus ancien.",
    "library_entry_intro": "Ce que chaque dossier en dit, du plus récent au plus ancien.",
    "in_dossier": "Sa page dans ce dossier", "names": "Noms", "wikidata": "Wikidata",
    "in_dossiers": "Dossiers", "open_questions_count": "questions ouvertes", "open_question_count": "question ouverte",
    "library_count": "entités connues de plusieurs dossiers", "library_count_one": "entité connue de plusieurs dossiers",
    "open_questions_about": "Questions ouvertes",
    "translation": "Traduction de l’analyste", "original_passage": "le passage dans l’original",
    "external_site": "site extérieur", "retrieved": "Relevé le", "archived": "Copie archivée",
    "text_sha256": "Empreinte SHA-256 du texte", "file_sha256": "Empreinte SHA-256 du fichier importé",
    "leading_hypothesis": "Hypothèse en tête",
}

_EN = {
    "site_title": "Dossiers", "dossiers": "Dossiers", "home": "Home",
    "contents": "Contents", "summary": "Bottom line", "key_judgments": "Key judgments",
    "questions": "Open questions", "meetings": "Meetings", "actors": "Actors", "sources": "Sources",
    "timeline": "Timeline", "network": "Network", "as_of": "Information as of",
    "marking": "Marking", "authors": "Authors", "status": "Status",
    "opened": "Opened", "reviewed": "Reviewed", "about": "About", "hypotheses": "Hypotheses",
    "indicators": "Indicators to watch", "answer": "Answer", "claims": "Established facts",
    "date": "Date", "place": "Place", "participants": "Participants", "topics": "Topics",
    "outcome": "Outcome", "follows": "Follows", "followed_by": "Followed by", "aliases": "Other spellings",
    "country": "Country", "roles": "Roles", "kind": "Kind", "reliability": "Reliability",
    "published": "Published", "outlet": "Outlet", "author": "Author", "url": "Address",
    "language": "Language", "notes": "Notes", "confidence": "Confidence", "likelihood": "Likelihood",
    "cited_share": "Share of the text cited", "source_text": "Full text",
    "backlinks": "What links here", "meetings_attended": "Meetings",
    "questions_about": "Questions", "members": "Roles held in it",
    "cited_by": "Cited by", "passages": "Cited passages", "download_pdf": "Download the briefing (PDF)",
    "latest": "Latest dated items", "counts": "In figures", "name": "Name", "title": "Title", "question": "Question",
    "no_items": "None.", "citation": "Citation", "source": "Source", "from": "from", "until": "until",
    "network_caption": "Actors and meetings of the dossier; each node leads to its page.",
    "network_hint": "On a small screen, scroll the drawing sideways, or read the network as lists",
    "network_ties": "Actors and their ties",
    "timeline_intro": "Every dated item of the dossier, at the precision of its date.",
    "role": "Role", "cited_passages_count": "cited passages", "claims_count": "facts",
    "rel_link": "mention", "rel_participant": "participant", "rel_of": "role", "rel_country": "country",
    "rel_follows": "follows", "rel_about": "question", "rel_cites": "citation",
    "kind_dossier": "Dossier", "kind_source": "Source", "kind_actor": "Actor", "kind_meeting": "Meeting",
    "kind_question": "Question", "tl_meeting": "Meeting", "tl_role-start": "Takes office",
    "tl_role-end": "Leaves office", "tl_claim": "Fact", "tl_event": "Event",
    "passage": "Passage", "passages_short": "Passages", "not_found": "Page not found", "search": "Search",
    "edge_attend": "takes part in the meeting", "edge_member": "role, membership or country",
    "edge_sequence": "follows (meetings)",
    "download_json": "Dossier data (JSON)", "download_ftm": "FollowTheMoney entities",
    "download_annotations": "Citations as W3C annotations", "since_edition": "Since the edition of {date}",
    "no_changes": "Nothing has changed since that edition.", "ch_added": "New", "ch_removed": "Removed",
    "ch_changed": "Revised", "ch_claim": "Fact", "ch_answer": "Answer", "ch_hypothesis": "Hypothesis",
    "ch_text_revised": "text revised",
    "ch_key_judgment": "Key judgment", "ch_citations": "citations", "ch_disputed_by": "contradicting passages",
    "ch_against": "evidence against",
    "facts_about": "Facts about {name}", "recorded_in": "recorded under", "disputed_by": "Disputed by",
    "disputed_facts": "Disputed facts", "evidence_matrix": "Evidence matrix",
    "matrix_intro": "Each cited passage set against each hypothesis. Hypotheses are ranked by the evidence "
                    "against them: the least contradicted first.",
    "consistent": "consistent", "inconsistent": "inconsistent", "not_applicable": "not applicable",
    "hypothesis": "Hypothesis", "inconsistencies": "Evidence against",
    "why_changed": "Reason", "why_missing": "reason for the change not given",
    "ch_assumption": "Assumption", "ch_assumes_revised": "assumptions revised", "ch_why_revised": "grounds revised",
    "ch_wrong_if_revised": "signs it is wrong revised",
    "sourcing": "Sourcing of the facts", "by_count": "By number of independent sources",
    "by_grade": "By best grade of their sources",
    "sourcing_intro": "The independent sources behind each fact (sources of one origin count once).",
    "sourcing_open": "Each count opens the list of its facts.", "sourcing_numbers": "The numbers lead to the facts.",
    "src_none": "without a source", "src_one": "one source", "src_two": "two sources",
    "src_more": "three sources or more", "ungraded": "not graded", "fact_one": "fact",
    "meetings_one": "meeting", "actors_one": "actor", "sources_one": "source", "questions_one": "question",
    "cited_passages_count_one": "cited passage",
    "single_source": "single source", "single_source_tip": "Only one independent text supports this fact.",
    "assumptions": "Key assumptions", "assumption_why": "Why", "assumption_wrong_if": "Wrong if",
    "assumed_by": "Resting on it", "rests_on": "Rests on", "credibility": "Credibility",
    "exclusive": "mutually exclusive", "exhaustive": "mutually exclusive and exhaustive",
    "matrix_disagrees": "The likelihoods do not follow the matrix: {a} ({la}) is rated more likely than {b} ({lb}), "
                        "yet the matrix shows more evidence against it ({na} against {nb}).",
    "library": "Library", "also_in": "Also in", "library_page": "library page",
    "library_intro": "The actors, meetings and sources known in several dossiers; each page gathers what each "
                     "dossier says of them, the newest first.",
    "library_entry_intro": "What each dossier says, the newest first.",
    "in_dossier": "Its page in this dossier", "names": "Names", "wikidata": "Wikidata",
    "in_dossiers": "Dossiers", "open_questions_count": "open questions", "open_question_count": "open question",
    "library_count": "entities known in several dossiers", "library_count_one": "entity known in several dossiers",
    "open_questions_about": "Open questions",
    "translation": "Analyst’s translation", "original_passage": "the passage in the original",
    "external_site": "external site", "retrieved": "Retrieved", "archived": "Archived copy",
    "text_sha256": "SHA-256 of the text", "file_sha256": "SHA-256 of the imported file",
    "leading_hypothesis": "Leading hypothesis",
}

_VOCAB = {
    "fr": {
        "person": "Personne", "organisation": "Organisation", "state": "État",
        "held": "Tenue", "planned": "Prévue", "cancelled": "Annulée",
        "open": "Ouverte", "answered": "Résolue", "moot": "Sans objet",
        "high": "élevée", "moderate": "modérée", "low": "faible",
        "A": "totalement fiable", "B": "habituellement fiable", "C": "assez fiable",
        "D": "pas toujours fiable", "E": "peu fiable", "F": "fiabilité impossible à évaluer",
        "almost-no-chance": "quasiment exclu", "very-unlikely": "très improbable", "unlikely": "improbable",
        "roughly-even": "à peu près aussi probable qu’improbable", "likely": "probable",
        "very-likely": "très probable", "almost-certain": "quasiment certain",
        "1": "confirmée par d’autres sources", "2": "probablement vraie", "3": "peut-être vraie", "4": "douteuse",
        "5": "improbable", "6": "véracité impossible à évaluer",
    },
    "en": {
        "person": "Person", "organisation": "Organisation", "state": "State",
        "held": "Held", "planned": "Planned", "cancelled": "Cancelled",
        "open": "Open", "answered": "Answered", "moot": "Moot",
        "high": "high", "moderate": "moderate", "low": "low",
        "A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
        "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged",
        "almost-no-chance": "almost no chance", "very-unlikely": "very unlikely", "unlikely": "unlikely",
        "roughly-even": "roughly even chance", "likely": "likely",
        "very-likely": "very likely", "almost-certain": "almost certain",
        "1": "confirmed by other sources", "2": "probably true", "3": "possibly true", "4": "doubtful",
        "5": "improbable", "6": "truth cannot be judged",
    },
}

LIKELIHOOD_RANGES = {
    "almost-no-chance": (1, 5), "very-unlikely": (5, 20), "unlikely": (20, 45), "roughly-even": (45, 55),
    "likely": (55, 80), "very-likely": (80, 95), "almost-certain": (95, 99),
}
"""ICD 203 probability ranges, in per cent."""

_LABELS = {"fr": _FR, "en": _EN}


def labels(lang: str) -> Mapping[str, str]:
    """The generated labels in *lang* (English for an unknown language)."""
    return _LABELS.get(lang, _LABELS["en"])


def _with_kinds() -> None:
    """The words of the kinds of one's own (:attr:`generator.core.kinds.Kind.labels`) added, again at each change."""
    for lang, base in (("fr", _FR), ("en", _EN)):
        _LABELS[lang] = {**base, **{key: text for kind in kinds() for key, text in kind.labels.get(lang, {}).items()}}


on_change(_with_kinds)


def word(lang: str, value: str) -> str:
    """The display word for an enum value (kind, status, confidence, grade, likelihood)."""
    return _VOCAB.get(lang, _VOCAB["en"]).get(value, value)


def likelihood_label(lang: str, value: str) -> str:
    """``probable (55–80 %)``: the ICD 203 word with its probability range."""
    low, high = LIKELIHOOD_RANGES[value]
    space = "\u202f" if lang == "fr" else ""
    return f"{word(lang, value)} ({low}–{high}{space}%)"


def reliability_label(lang: str, grade: str) -> str:
    """``C — assez fiable``: the Admiralty grade with its meaning."""
    return f"{grade} — {word(lang, grade)}"


def credibility_label(lang: str, grade: int) -> str:
    """``2 — probablement vraie``: the Admiralty information grade with its meaning."""
    return f"{grade} — {word(lang, str(grade))}"


def facts_count(lang: str, count: int) -> str:
    """``1 fait``, ``3 faits``."""
    L = labels(lang)
    return f"{count} {L['fact_one'] if count == 1 else L['claims_count']}"


def counted(lang: str, key: str, count: int) -> str:
    """``1 réunion``, ``3 réunions``: *count* with the label *key*, singular (``key_one``) for one."""
    L = labels(lang)
    return f"{count} {(L[f'{key}_one'] if count == 1 else L[key]).lower()}"


def percent(lang: str, share: float) -> str:
    """``34 %`` in French, ``34%`` in English."""
    value = round(share * 100)
    return f"{value}\u202f%" if lang == "fr" else f"{value}%"


_LANGUAGE_NAMES = {
    "fr": {"fr": "français", "en": "anglais", "ru": "russe", "zh": "chinois", "de": "allemand", "es": "espagnol",
           "it": "italien", "pt": "portugais", "ar": "arabe", "ja": "japonais", "ko": "coréen", "uk": "ukrainien",
           "fa": "persan", "tr": "turc", "hi": "hindi", "pl": "polonais", "nl": "néerlandais", "mn": "mongol",
           "kk": "kazakh", "be": "biélorusse"},
    "en": {"fr": "French", "en": "English", "ru": "Russian", "zh": "Chinese", "de": "German", "es": "Spanish",
           "it": "Italian", "pt": "Portuguese", "ar": "Arabic", "ja": "Japanese", "ko": "Korean", "uk": "Ukrainian",
           "fa": "Persian", "tr": "Turkish", "hi": "Hindi", "pl": "Polish", "nl": "Dutch", "mn": "Mongolian",
           "kk": "Kazakh", "be": "Belarusian"},
}


def language_name(lang: str, code: str) -> str:
    """The name of the language *code* (``ru``, ``zh-Hans``) in *lang*; the code itself when unknown."""
    names = _LANGUAGE_NAMES.get(lang, _LANGUAGE_NAMES["en"])
    return names.get(code.lower(), names.get(code.split("-")[0].lower(), code))


_OPENING_MARKS = ("«", "\u201c", "\u201e")
_CLOSING_MARKS = ("»", "\u201d")


def quoted(lang: str, text: str) -> str:
    """*text* between the quotation marks of *lang* (« … » in French, “…” in English).

    Where the quote already starts (or ends) with a quotation mark of its own,
    none is added at that end: two quotations that open or close together
    share one mark (``« Les négociations … », a déclaré le ministère. »``), as
    French typography does, instead of showing ``« «`` or ``» »``. The spaces
    inside the quote's own guillemets become non-breaking.
    """
    stripped = keep_guillemets(text.strip())
    opening, closing = quote_marks(lang)
    head = "" if stripped.startswith(_OPENING_MARKS) else opening
    tail = "" if stripped.endswith(_CLOSING_MARKS) else closing
    return f"{head}{stripped}{tail}"

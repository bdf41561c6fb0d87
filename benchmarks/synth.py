"""A synthetic dossier of any size, valid by the contract, for the benchmarks.

``python benchmarks/synth.py N [--out DIR]`` writes ``DIR/synth-N/`` (default
``DIR``: ``benchmarks/out``), a dossier of:

* N actors (persons, organisations and states; persons hold roles *of*
  organisations and belong to a state), 5 claims each;
* N/2 meetings (participants, some with a role; ``follows`` an earlier
  meeting), 3 claims each;
* N/10 questions (hypotheses with ICD 203 likelihoods, indicators, ``about``),
  3 claims each, and an answer when answered;
* N/5 sources, each a few KB of pseudo-French text made from a fixed
  vocabulary.

Every claim cites two quotes cut from the generated source texts on word
boundaries, so every quote is found; summaries and claims hold ``[[links]]``
to other entities. ``dossier check`` accepts it with no error and no warning.
The output depends on N alone (a seeded :class:`random.Random`), so two runs
give the same bytes. :func:`make_dossier` does the same from Python.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["dossier_id", "entity_count", "make_dossier"]

DEFAULT_OUT = Path(__file__).resolve().parent / "out"

# -- vocabulary ----------------------------------------------------------------

SUBJECTS = [
    "Le ministre des Affaires étrangères", "La délégation", "Le porte-parole du gouvernement",
    "Le conseiller à la sécurité nationale", "L'ambassadeur", "La commission mixte", "Le secrétaire général",
    "Le vice-premier ministre", "La présidence", "Le chef de la diplomatie", "Le représentant spécial",
    "La direction du parti", "Le ministère de la Défense", "Le chef d'état-major", "La porte-parole",
    "Le négociateur en chef", "Le gouverneur de la banque centrale", "Le Conseil de sécurité",
]
VERBS = [
    "a annoncé", "a confirmé", "a démenti", "a rappelé", "a souligné", "a proposé", "a rejeté", "a salué",
    "a critiqué", "prépare", "examine", "a signé", "négocie", "a reporté", "a évoqué", "a défendu",
    "a présenté", "a obtenu", "a suspendu", "a relancé",
]
OBJECTS = [
    "un accord de coopération énergétique", "la visite officielle", "une déclaration commune",
    "les consultations bilatérales", "le programme de sécurité régionale", "un nouveau cycle de négociations",
    "les sanctions économiques", "le projet de gazoduc", "la création d'un groupe de travail",
    "le calendrier des prochaines réunions", "un mémorandum d'entente", "la reprise du dialogue stratégique",
    "les exercices militaires conjoints", "le financement des infrastructures", "la libération des détenus",
    "un plan de paix en douze points", "la réouverture de la frontière", "les livraisons de céréales",
]
COMPLEMENTS = [
    "à l'issue de deux jours d'entretiens", "selon un communiqué du ministère", "lors d'une conférence de presse",
    "sans donner de détails", "malgré les réserves de plusieurs partenaires", "dans la capitale",
    "au cours du week-end", "en marge du sommet", "d'après une source diplomatique", "devant le parlement",
    "dans un entretien accordé à la presse", "à la surprise des observateurs", "après des mois de blocage",
    "pour la première fois depuis la guerre", "au terme d'une longue séance", "dans un climat de confiance",
]
CONNECTORS = ["tandis que", "alors que", "et", "mais", "puisque", "bien que"]
PLACES = [
    "Pékin", "Moscou", "Malte", "Genève", "Oulan-Bator", "Astana", "Vienne", "New Delhi", "Brasilia",
    "Pretoria", "Ankara", "Téhéran", "Hanoï", "Séoul", "Tokyo", "Berlin", "Paris", "Rome", "Doha", "Minsk",
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
FIRST = ["Wang", "Li", "Sergueï", "Nikolaï", "Anna", "Jake", "Marie", "Olga", "Chen", "Ivan", "Hélène",
         "Dmitri", "Fatima", "Karim", "Yuki", "Paolo", "Ingrid", "Tomasz", "Amara", "Luis"]
LAST = ["Petrov", "Zhang", "Sullivan", "Lavrov", "Morel", "Ivanova", "Tanaka", "Haddad", "Kowalski", "Rossi",
        "Okafor", "Lindqvist", "Moreau", "Nguyen", "Schmidt", "Volkov", "Dubois", "Sato", "Mendes", "Khan"]
SYLLABLES = ["val", "mor", "est", "ran", "bel", "tor", "ka", "li", "sar", "dan", "vo", "mir", "ne", "gal", "os"]
ORG_TYPES = ["Ministère des Affaires étrangères", "Conseil de sécurité", "Ministère de la Défense",
             "Parti populaire", "Agence de presse", "Banque centrale", "Commission électorale", "Garde nationale"]
OUTLETS = ["Agence Nord", "Le Courrier diplomatique", "La Gazette de l'Est", "Radio Continent", "Le Veilleur"]
ROLE_TITLES = ["Ministre", "Vice-ministre", "Directeur", "Secrétaire", "Porte-parole", "Conseiller", "Président"]
MEETING_KINDS = ["Entretiens", "Visite", "Consultation", "Sommet", "Forum", "Réunion"]
LIKELIHOODS = ["almost-no-chance", "very-unlikely", "unlikely", "roughly-even", "likely", "very-likely",
               "almost-certain"]
KIND_CYCLE = ["state"] * 3 + ["organisation"] * 4 + ["person"] * 13
"""Actor kinds by index modulo 20: 15 % states, 20 % organisations, 65 % persons."""


def dossier_id(n: int) -> str:
    """The id (folder name) of the synthetic dossier of size *n*."""
    return f"synth-{n}"


def entity_count(n: int) -> int:
    """How many entities (actors, meetings, questions, sources) the dossier of size *n* holds."""
    return n + n // 2 + max(1, n // 10) + max(1, n // 5)


def slug(text: str) -> str:
    """*text* as an id: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def q(text: str) -> str:
    """*text* as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# -- source texts ----------------------------------------------------------------

def sentence(rng: random.Random) -> str:
    """One pseudo-French sentence of 12 to 35 words."""
    words = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(COMPLEMENTS)}"
    if rng.random() < 0.5:
        words += f" à {rng.choice(PLACES)} le {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2019, 2024)}"
    if rng.random() < 0.6:
        other = rng.choice(SUBJECTS)
        words += f", {rng.choice(CONNECTORS)} {other[0].lower() + other[1:]} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return words + "."


def source_text(rng: random.Random) -> str:
    """A source's full text: 6 to 10 paragraphs of 3 to 6 sentences (3 to 6 KB)."""
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(rng.randint(6, 10))]
    return "\n".join(paragraphs) + "\n"


@dataclass
class Corpus:
    """The sources' texts, cut into sentences, to draw quotes from."""

    rng: random.Random
    ids: list[str] = field(default_factory=list)
    sentences: dict[str, list[list[str]]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)
    """Source id -> its ``published`` day (``YYYY-MM-DD``)."""

    def add(self, source_id: str, text: str) -> None:
        """Register a source's text."""
        self.ids.append(source_id)
        self.texts[source_id] = text
        found = []
        for paragraph in text.splitlines():
            for part in paragraph.split(". "):
                words = part.rstrip(".").split(" ")
                if len(words) >= 8:
                    found.append(words)
        self.sentences[source_id] = found

    def quote(self, after: str = "", rng: random.Random | None = None) -> tuple[str, str]:
        """A random source (published on or after the day *after*, when one is) and a run of 6 to 14 whole
        words of one of its sentences, drawn with *rng* (default: the dossier's)."""
        rng = rng or self.rng
        later = [i for i in self.ids if self.published.get(i, "") >= after] if after else []
        source_id = rng.choice(later or self.ids)
        words = rng.choice(self.sentences[source_id])
        length = rng.randint(6, min(14, len(words)))
        start = rng.randint(0, len(words) - length)
        quote = " ".join(words[start:start + length]).rstrip(",")
        # A quote should stand at one place of its source (the checker warns otherwise): lengthen it,
        # without drawing again, so that the rest of the dossier is the same.
        while self.texts[source_id].count(quote) > 1 and (start > 0 or start + length < len(words)):
            start, length = (start - 1, length + 1) if start > 0 else (start, length + 1)
            quote = " ".join(words[start:start + length]).rstrip(",")
        return source_id, quote

    def cite(self, count: int = 2) -> list[tuple[str, str]]:
        """*count* citations from (usually) different sources."""
        return [self.quote() for _ in range(count)]


# -- dates -----------------------------------------------------------------------

AS_OF = "2024-06-30"
FIRST_YEAR, LAST_YEAR = 2019, 2024


def day(rng: random.Random) -> str:
    """A random day between 2019 and mid-2024."""
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    month = rng.randint(1, 6 if year == LAST_YEAR else 12)
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def claim_date(rng: random.Random) -> str | None:
    """A date at day, month or year precision, an interval, or none (one claim in two)."""
    roll = rng.random()
    if roll < 0.5:
        return None
    start = day(rng)
    if roll < 0.75:
        return start
    if roll < 0.85:
        return start[:7]
    if roll < 0.9:
        return start[:4]
    return f"{start[:8]}01/{start[:8]}28"


def meeting_date(index: int, count: int) -> str:
    """Meetings spread in order from January 2019 to June 2024, so ``follows`` points back in time."""
    months = (LAST_YEAR - FIRST_YEAR) * 12 + 6
    month_index = index * months // max(count, 1)
    year, month = FIRST_YEAR + month_index // 12, month_index % 12 + 1
    first = 1 + (index * 7) % 26
    if index % 7 == 3:
        return f"{year}-{month:02d}-{first:02d}/{year}-{month:02d}-{first + 2:02d}"
    return f"{year}-{month:02d}" if index % 11 == 5 else f"{year}-{month:02d}-{first:02d}"


# -- the plan: every entity's id and name, before any text refers to them --------

@dataclass
class Plan:
    """Ids, names and kinds of every entity, drawn first so texts can link to any of them."""

    n: int
    rng: random.Random
    used: set[str] = field(default_factory=set)
    actors: list[tuple[str, str, str]] = field(default_factory=list)
    """(id, name, kind) of each actor."""
    meetings: list[tuple[str, str, str]] = field(default_factory=list)
    """(id, title, date) of each meeting."""
    questions: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    """(id, published) of each source."""

    def unique(self, base: str) -> str:
        """*base* as an id no other entity has (``base-2`` … otherwise)."""
        candidate, number = base, 1
        while candidate in self.used:
            number += 1
            candidate = f"{base}-{number}"
        self.used.add(candidate)
        return candidate

    def of_kind(self, kind: str) -> list[str]:
        """Ids of the actors of *kind*."""
        return [id_ for id_, _, k in self.actors if k == kind]

    def any_id(self) -> str:
        """A random entity id of any kind (for ``[[links]]``)."""
        pools = [self.actors, self.meetings, self.sources]
        pool = self.rng.choice([p for p in pools if p])
        return self.rng.choice(pool)[0]


def state_name(rng: random.Random) -> str:
    """A made-up country name (Valmorie, Estrankanie …)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() + "ie"


def plan_entities(n: int, rng: random.Random) -> Plan:
    """Draw the id and name of every entity of the dossier of size *n*."""
    plan = Plan(n, rng)
    states: list[str] = []
    for index in range(n):
        kind = KIND_CYCLE[index % len(KIND_CYCLE)]
        if kind == "state":
            name = state_name(rng)
            states.append(name)
        elif kind == "organisation":
            name = f"{rng.choice(ORG_TYPES)} de {rng.choice(states)}"
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        plan.actors.append((plan.unique(slug(name)), name, kind))
    count = n // 2
    for index in range(count):
        title = f"{rng.choice(MEETING_KINDS)} de {rng.choice(PLACES)}"
        date = meeting_date(index, count)
        plan.meetings.append((plan.unique(slug(f"{title} {date[:7]}")), f"{title} ({date[:7]})", date))
    plan.questions = [plan.unique(f"question-{index + 1}") for index in range(max(1, n // 10))]
    for _ in range(max(1, n // 5)):
        published = day(rng)
        plan.sources.append((plan.unique(slug(f"{rng.choice(OUTLETS)} {published}")), published))
    return plan


# -- texts with links --------------------------------------------------------------

def link(plan: Plan, id_: str | None = None) -> str:
    """``[[id]]`` (or, one time in four, ``[[id|label]]``) to *id_* or a random entity."""
    target = id_ or plan.any_id()
    if plan.rng.random() < 0.25:
        return f"[[{target}|{plan.rng.choice(['ce dossier', 'cette entité', 'la note', 'le texte'])}]]"
    return f"[[{target}]]"


def claim_text(plan: Plan, subject: str) -> str:
    """A claim about *subject*, linking it and another entity."""
    rng = plan.rng
    text = f"{link(plan, subject)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(COMPLEMENTS)}"
    return text + f", selon {link(plan)}."


def summary_text(plan: Plan, subject: str | None, paragraphs: int = 2) -> str:
    """A Markdown summary of 1 to *paragraphs* paragraphs, with links and some emphasis."""
    rng = plan.rng
    out = []
    for index in range(rng.randint(1, paragraphs)):
        who = link(plan, subject) if index == 0 and subject else link(plan)
        lead = f"**{rng.choice(['En bref', 'Contexte', 'À suivre'])}.** " if rng.random() < 0.5 else ""
        out.append(f"{lead}{who} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(COMPLEMENTS)}. "
                   f"{sentence(rng)} {link(plan)} *{rng.choice(VERBS)}* {rng.choice(OBJECTS)}.")
    return "\n\n".join(out)


# -- YAML, written as an analyst would ----------------------------------------------

def block(key: str, text: str, indent: str = "") -> list[str]:
    """``key: |`` and *text* as a literal block (one line per paragraph)."""
    lines = [f"{indent}{key}: |"]
    lines += [f"{indent}  {line}" if line else "" for line in text.split("\n")]
    return lines


def cite_lines(citations: list[tuple[str, str]], indent: str) -> list[str]:
    """A ``cite:`` list of ``source-id: "quote"`` pairs."""
    return [f"{indent}cite:"] + [f"{indent}  - {source}: {q(quote)}" for source, quote in citations]


def claim_lines(plan: Plan, corpus: Corpus, subject: str, indent: str, first: str = "- ",
                held: str = "") -> list[str]:
    """One claim: text, perhaps a date and a confidence, and two citations.

    As the checker wants (``as_of``, and sources against the events they
    report): a dated claim is never later than the last source it cites; an
    undated claim of a meeting *held* that day cites a source published since
    (or, when none was, is dated to its latest source).
    """
    rng = plan.rng
    inner = indent + " " * len(first)
    lines = [f"{indent}{first}text: {q(claim_text(plan, subject))}"]
    date = claim_date(rng)
    confidence = rng.choice(['high', 'moderate', 'low']) if rng.random() < 0.8 else None
    citations = corpus.cite(2)
    latest = max(corpus.published.get(source, "") for source, _ in citations)
    if date and latest and _first_day(date) > latest:
        date = latest
    if not date and held and latest < held:
        # drawn aside: the rest of the dossier (names, participants) stays as it was
        later = corpus.quote(after=held, rng=random.Random(f"{subject}:{held}:{citations}"))
        if corpus.published[later[0]] >= held:
            citations[-1] = later
        else:  # no source came out after the meeting: the claim tells of something before it
            date = latest
    if date:
        lines.append(f"{inner}date: {date}")
    if confidence:
        lines.append(f"{inner}confidence: {confidence}")
    return lines + cite_lines(citations, inner)


def _first_day(date: str) -> str:
    """The first day a date (``2021``, ``2021-03``, ``2021-03-04``, an interval) may stand for, ``YYYY-MM-DD``."""
    start = date.split("/")[0]
    return start + "-01-01"[len(start) - 4:] if len(start) < 10 else start


def claims_lines(plan: Plan, corpus: Corpus, subject: str, count: int, key: str = "claims",
                 held: str = "") -> list[str]:
    """A list of *count* claims under *key* (*held*: of a meeting held that day)."""
    lines = [f"{key}:"]
    for _ in range(count):
        lines += claim_lines(plan, corpus, subject, "  ", held=held)
    return lines


# -- one file per entity -----------------------------------------------------------

def actor_yaml(plan: Plan, corpus: Corpus, actor: tuple[str, str, str], states: list[str],
               organisations: list[str]) -> str:
    """An actor: kind, aliases, country, roles of organisations (persons), summary, 5 claims."""
    rng = plan.rng
    id_, name, kind = actor
    lines = [f"name: {q(name)}", f"kind: {kind}"]
    if kind == "person":
        lines += ["aliases:", f"  - {q(name.split(' ')[-1])}", f"  - {q(name[0] + '. ' + name.split(' ')[-1])}"]
    if kind != "state" and states:
        lines.append(f"country: {rng.choice(states)}")
    lines += block("summary", summary_text(plan, id_))
    if kind == "person" and organisations:
        lines.append("roles:")
        for _ in range(rng.randint(1, 2)):
            lines += [f"  - title: {q(rng.choice(ROLE_TITLES))}", f"    of: {rng.choice(organisations)}",
                      f"    from: {day(rng)[:7]}"]
            lines += cite_lines(corpus.cite(1), "    ")
    lines += claims_lines(plan, corpus, id_, 5)
    return "\n".join(lines) + "\n"


def meeting_yaml(plan: Plan, corpus: Corpus, index: int, persons: list[str], states: list[str]) -> str:
    """A meeting: date, place, status, participants, topics, summary, outcome, follows, 3 claims."""
    rng = plan.rng
    id_, title, date = plan.meetings[index]
    status = "planned" if index >= len(plan.meetings) - max(1, len(plan.meetings) // 50) else \
        ("cancelled" if index % 37 == 17 else "held")
    lines = [f"title: {q(title)}", f"date: {date}", f"place: {q(title.split(' de ', 1)[1].split(' (')[0])}",
             f"status: {status}", "participants:"]
    people = rng.sample(persons, min(len(persons), rng.randint(2, 4))) + rng.sample(states, min(len(states), 1))
    for number, actor in enumerate(people):
        if number % 2:
            lines += [f"  - actor: {actor}", f"    role: {q(rng.choice(ROLE_TITLES).lower() + ' de la délégation')}"]
        else:
            lines.append(f"  - {actor}")
    lines += ["topics:"] + [f"  - {q(rng.choice(OBJECTS).capitalize())}" for _ in range(rng.randint(1, 3))]
    lines += block("summary", summary_text(plan, id_))
    if status == "held":
        lines += block("outcome", f"{link(plan)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}.")
    if index > 0 and rng.random() < 0.6:
        lines += ["follows:", f"  - {plan.meetings[rng.randint(max(0, index - 10), index - 1)][0]}"]
    lines += claims_lines(plan, corpus, id_, 3, held=_first_day(date) if status == "held" else "")
    return "\n".join(lines) + "\n"


def question_yaml(plan: Plan, corpus: Corpus, index: int) -> str:
    """A question: status, dates, about, summary, hypotheses, indicators, answer, 3 claims."""
    rng = plan.rng
    about = [plan.any_id() for _ in range(rng.randint(1, 3))]
    status = ["open", "open", "open", "answered", "moot"][index % 5]
    opened = day(rng)
    lines = [f"question: {q(f'Pourquoi {link(plan, about[0])} {rng.choice(VERBS)} {rng.choice(OBJECTS)} ?')}",
             f"status: {status}", f"opened: {opened}", f"reviewed: {AS_OF}", "about:"]
    lines += [f"  - {target}" for target in dict.fromkeys(about)]
    lines += block("summary", summary_text(plan, about[0]))
    lines.append("hypotheses:")
    for _ in range(rng.randint(2, 3)):
        text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(COMPLEMENTS)}."
        lines += [f"  - text: {q(text)}", f"    likelihood: {rng.choice(LIKELIHOODS)}"]
        lines += cite_lines(corpus.cite(1), "    ")
    lines += ["indicators:"] + [f"  - {q(f'Annonce par {link(plan)} de {rng.choice(OBJECTS)}.')}"
                                for _ in range(rng.randint(2, 3))]
    if status == "answered":
        lines += ["answer:"] + claim_lines(plan, corpus, about[0], "  ", first="")
    lines += claims_lines(plan, corpus, about[0], 3)
    return "\n".join(lines) + "\n"


def source_yaml(plan: Plan, index: int) -> str:
    """A source's metadata: title, outlet, author, date, language, URL, grade, notes."""
    rng = plan.rng
    id_, published = plan.sources[index]
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    lines = [f"title: {q(title)}", f"outlet: {q(rng.choice(OUTLETS))}",
             f"author: {q(rng.choice(FIRST) + ' ' + rng.choice(LAST))}", f"published: {published}",
             "language: fr", f"url: https://example.org/{id_}", f"reliability: {rng.choice('ABCDEF')}"]
    if rng.random() < 0.5:
        other = plan.sources[rng.randrange(len(plan.sources))][0]
        lines += block("notes", f"Texte repris en partie par [[{other}]] ; *fiabilité* à confirmer.")
    return "\n".join(lines) + "\n"


def dossier_yaml(plan: Plan, corpus: Corpus) -> str:
    """``dossier.yaml``: title, as-of date, marking, authors, summary and 5 key judgments."""
    lines = [f"title: {q(f'Dossier synthétique de {plan.n} acteurs')}", f"as_of: {AS_OF}", "language: fr",
             "marking: NON CLASSIFIÉ", "authors:", "  - Banc d'essai"]
    lines += block("summary", summary_text(plan, None, paragraphs=3))
    lines += claims_lines(plan, corpus, plan.actors[0][0], 5, key="key_judgments")
    return "\n".join(lines) + "\n"


# -- the dossier ---------------------------------------------------------------------

def write(path: Path, text: str) -> None:
    """Write *text* to *path* as UTF-8 with Unix line ends."""
    path.write_text(text, encoding="utf-8", newline="\n")


def write_sources(plan: Plan, corpus: Corpus, folder: Path) -> None:
    """Every source's text (registered in *corpus*) and metadata."""
    (folder / "sources").mkdir(parents=True)
    for index, (id_, _) in enumerate(plan.sources):
        text = source_text(plan.rng)
        corpus.add(id_, text)
        corpus.published[id_] = plan.sources[index][1]
        write(folder / "sources" / f"{id_}.txt", text)
        write(folder / "sources" / f"{id_}.yaml", source_yaml(plan, index))


def write_entities(plan: Plan, corpus: Corpus, folder: Path) -> None:
    """Every actor, meeting and question file."""
    states, organisations = plan.of_kind("state"), plan.of_kind("organisation")
    persons = plan.of_kind("person") or [a[0] for a in plan.actors]
    for kind in ("actors", "meetings", "questions"):
        (folder / kind).mkdir()
    for actor in plan.actors:
        write(folder / "actors" / f"{actor[0]}.yaml", actor_yaml(plan, corpus, actor, states, organisations))
    for index, meeting in enumerate(plan.meetings):
        write(folder / "meetings" / f"{meeting[0]}.yaml", meeting_yaml(plan, corpus, index, persons, states))
    for index, id_ in enumerate(plan.questions):
        write(folder / "questions" / f"{id_}.yaml", question_yaml(plan, corpus, index))


def make_dossier(n: int, out_dir: str | Path = DEFAULT_OUT) -> Path:
    """Write the synthetic dossier of size *n* to ``out_dir/synth-N/`` (replacing it); return that folder."""
    if n < 10:
        raise ValueError("the synthetic dossier needs N >= 10 actors")
    rng = random.Random(f"dossier-synth:{n}")
    folder = Path(out_dir) / dossier_id(n)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    plan = plan_entities(n, rng)
    corpus = Corpus(rng)
    write_sources(plan, corpus, folder)
    write_entities(plan, corpus, folder)
    write(folder / "dossier.yaml", dossier_yaml(plan, corpus))
    return folder


def main(argv: list[str] | None = None) -> int:
    """Command line: ``synth.py N [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of actors (>= 10); meetings N/2, questions N/10, sources N/5")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder to write synth-N/ into (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        folder = make_dossier(args.n, args.out)
    except ValueError as exc:
        parser.error(str(exc))
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A small dossier written by the tradecraft tests: one item for each review rule, and items that pass.

Sources: ``agence-a`` and ``agence-b`` relay one wire story (``origin:
depeche``, both graded F), ``journal`` is graded B. Key judgments: the first
is of high confidence on the two relays only (one independent source, graded
F), the second of high confidence on the journal and a relay (clean), the
third rests on the assumption ``ministere-russe``, the fourth has no
confidence. The assumption ``sans-suite`` has nothing resting on it, and no
``why`` nor ``wrong_if``. The question ``issue`` has exclusive and exhaustive
hypotheses rated ``very-likely`` and ``likely`` (more than 100 %), the first
with two passages against it and the second none; the question ``second``
has exhaustive ones rated ``unlikely`` and ``very-unlikely`` (less than 100 %).
"""

from __future__ import annotations

from pathlib import Path

TEXT_A = ("Le ministre Li Wei a rencontré son homologue à Genève le 3 mars 2023. "
          "Le ministère a indiqué que les entretiens avaient été constructifs. "
          "Aucun accord n'a été signé.\n")
TEXT_B = ("Selon une dépêche, le ministre Li Wei a rencontré son homologue à Genève le 3 mars 2023. "
          "Aucun accord n'a été signé.\n")
TEXT_J = ("Li Wei et son homologue se sont vus à Genève le 3 mars 2023. "
          "Un nouvel entretien est prévu en avril.\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


META = """title: Essai de méthode
as_of: 2023-03-11
language: fr
summary: Un dossier d'essai sur [[li-wei]].
key_judgments:
  - text: Li Wei a rencontré son homologue à Genève.
    confidence: high
    cite:
      - agence-a: "Le ministre Li Wei a rencontré son homologue à Genève"
      - agence-b: "le ministre Li Wei a rencontré son homologue à Genève"
  - text: La rencontre de Genève a eu lieu le 3 mars 2023.
    confidence: high
    cite:
      - journal: "se sont vus à Genève le 3 mars 2023"
        credibility: 2
      - agence-a: "à Genève le 3 mars 2023"
  - text: Le ministère russe juge les entretiens constructifs.
    confidence: moderate
    assumes: [ministere-russe]
    cite:
      - agence-a: "Le ministère a indiqué que les entretiens avaient été constructifs"
  - text: Aucun accord n'a été signé.
    cite:
      - agence-b: "Aucun accord n'a été signé"
assumptions:
  - id: ministere-russe
    text: « Le ministère » de la dépêche est le ministère russe des Affaires étrangères.
    why: La dépêche cite le ministère russe deux phrases plus haut.
    wrong_if: Un communiqué chinois reprend la même phrase.
  - id: sans-suite
    text: Les entretiens reprendront en avril.
"""

ISSUE = """question: Li Wei restera-t-il ministre ?
status: open
exclusive: true
exhaustive: true
hypotheses:
  - text: Il reste ministre.
    likelihood: very-likely
    against:
      - agence-a: "Aucun accord n'a été signé"
      - journal: "Un nouvel entretien est prévu en avril"
  - text: Il quitte le ministère.
    likelihood: likely
    cite:
      - agence-b: "Aucun accord n'a été signé"
"""

SECOND = """question: Un accord sera-t-il signé en avril ?
status: open
exclusive: true
exhaustive: true
hypotheses:
  - text: Un accord est signé en avril.
    likelihood: unlikely
    cite:
      - journal: "Un nouvel entretien est prévu en avril"
  - text: Aucun accord n'est signé avant l'été.
    likelihood: very-unlikely
    cite:
      - agence-a: "Aucun accord n'a été signé"
"""


def write_tradecraft(folder: Path, meta: str = META, issue: str = ISSUE, second: str = SECOND) -> Path:
    """Write the dossier into *folder* (its name is the dossier's id); returns *folder*."""
    write(folder / "dossier.yaml", meta)
    for name, text, grade, origin in (("agence-a", TEXT_A, "F", "depeche"), ("agence-b", TEXT_B, "F", "depeche"),
                                      ("journal", TEXT_J, "B", None)):
        write(folder / "sources" / f"{name}.txt", text)
        write(folder / "sources" / f"{name}.yaml", f"title: Texte {name}\npublished: 2023-03-04\nreliability: {grade}\n"
              + (f"origin: {origin}\n" if origin else ""))
    write(folder / "actors" / "li-wei.yaml", "name: Li Wei\nkind: person\n")
    write(folder / "questions" / "issue.yaml", issue)
    write(folder / "questions" / "second.yaml", second)
    return folder

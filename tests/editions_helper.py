"""A small dossier written by the tests of export, diff and editions, in two editions.

Edition 1 (as of 2023-03-11): the question on Zhao Min is open, its hypothesis
roughly even, cited for and against; Li Wei has two claims (the first of
moderate confidence); an actor with a hostile name, to be removed. Edition 2
(as of 2023-03-20): the question is answered and the hypothesis almost
certain, nothing cited against it any more; the first claim's confidence is
high, for a reason given (``why_changed``), and the second claim is gone (the likelihood's change is
left without a reason); the hostile actor is gone and Chen Yu is
added.
"""

from __future__ import annotations

from pathlib import Path

SOURCE_TEXT = (
    "Le ministre Li Wei a rencontré son homologue à Genève le 3 mars 2023. "
    "Les deux parties ont signé un accord commercial. "
    "Le sort du ministre Zhao Min reste inconnu. "
    "Selon l'agence, Zhao Min a été démis de ses fonctions le 10 mars 2023. "
    "Chen Yu, vice-ministre, assure l'intérim.\n"
)
HOSTILE_NAME = "<img src=x onerror=alert('old')> Ancien"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_dossier(folder: Path, edition: int, previous: str | None = None) -> Path:
    """Write edition 1 or 2 of the dossier ``essai`` into *folder*; returns *folder*."""
    second = edition == 2
    meta = (f"title: Essai\nas_of: {'2023-03-20' if second else '2023-03-11'}\nlanguage: fr\n"
            + (f"previous: {previous}\n" if previous else "")
            + "summary: Un dossier d'essai sur [[li-wei]].\n")
    write(folder / "dossier.yaml", meta)
    write(folder / "sources" / "agence.txt", SOURCE_TEXT)
    write(folder / "sources" / "agence.yaml", "title: Dépêche\npublished: 2023-03-11\nreliability: B\n")
    claims = ("claims:\n"
              "  - text: Li Wei rencontre son homologue à Genève.\n"
              "    date: 2023-03-03\n"
              f"    confidence: {'high' if second else 'moderate'}\n"
              + ("    why_changed: Une seconde lecture de la dépêche date la rencontre.\n" if second else "")
              + "    cite:\n"
              "      - agence: Le ministre Li Wei a rencontré son homologue à Genève le 3 mars 2023\n")
    if not second:
        claims += ("  - text: Un accord commercial est signé.\n"
                   "    cite:\n      - agence: Les deux parties ont signé un accord commercial\n")
    write(folder / "actors" / "li-wei.yaml", "name: Li Wei\nkind: person\n" + claims)
    write(folder / "actors" / "zhao-min.yaml", "name: Zhao Min\nkind: person\n")
    if second:
        write(folder / "actors" / "chen-yu.yaml", "name: Chen Yu\nkind: person\n")
    else:
        write(folder / "actors" / "ancien.yaml", f"name: \"{HOSTILE_NAME}\"\nkind: person\n")
    question = ("question: Qu'est-il arrivé à [[zhao-min]] ?\n"
                f"status: {'answered' if second else 'open'}\n"
                "about: [zhao-min]\n"
                "hypotheses:\n"
                "  - text: Zhao Min a été démis.\n"
                f"    likelihood: {'almost-certain' if second else 'roughly-even'}\n"
                "    cite:\n      - agence: Selon l'agence, Zhao Min a été démis de ses fonctions\n")
    if not second:
        question += "    against:\n      - agence: Le sort du ministre Zhao Min reste inconnu\n"
    if second:
        question += ("answer:\n  text: Zhao Min a été démis de ses fonctions.\n"
                     "  cite:\n    - agence: Zhao Min a été démis de ses fonctions le 10 mars 2023\n")
    write(folder / "questions" / "sort-de-zhao-min.yaml", question)
    return folder

"""The importer never guesses a date: metadata or a dateline at the top only; titles never cut inside a word."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
import yaml

from generator.core.files import text_digest

from conftest import run_dossier

BODY = ("<p>The two countries recalled the security cooperation agreement signed on 5/27/1998 and the general "
        "agreement of May 27, 1998, in force since 2001-04-17.</p>"
        "<p>Officials said the talks in Beijing were held from March 6 to March 10, 2023.</p>")
PLACEHOLDER_NOTE = ("note: published: left as the placeholder YYYY-MM-DD (never a date from the body, never today's): "
                    "`dossier check` rejects it until you write the date")


@pytest.fixture()
def dossier(tmp_path) -> Path:
    assert run_dossier("new", "beijing", "--language", "en", cwd=tmp_path).returncode == 0
    return tmp_path / "beijing"


def _import(dossier: Path, name: str, content: str, id_: str = "mehr"):
    document = dossier.parent / name
    document.write_text(content, encoding="utf-8")
    result = run_dossier("add", "source", "beijing", id_, "--from", str(document), cwd=dossier.parent)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((dossier / "sources" / f"{id_}.yaml").read_text(encoding="utf-8"))
    # every import records the digests of the file read and of the text written (issue 27)
    assert data.pop("file_sha256") == hashlib.sha256(document.read_bytes()).hexdigest()
    assert data.pop("text_sha256") == text_digest((dossier / "sources" / f"{id_}.txt").read_text(encoding="utf-8"))
    return data, [line.removeprefix(f"{document}: ") for line in result.stderr.splitlines()[:-1]]


def test_a_web_page_without_date_metadata_gets_the_placeholder_not_a_body_date(dossier):
    data, notes = _import(dossier, "mehr.html", f"<html lang='en'><head><title>Tehran and Riyadh agree</title></head>"
                                                f"<body><article><h1>Tehran and Riyadh agree</h1>{BODY}</article></body></html>")
    assert data["published"] == "YYYY-MM-DD"
    assert PLACEHOLDER_NOTE in notes
    check = run_dossier("check", "beijing", cwd=dossier.parent)
    assert ("beijing/sources/mehr.yaml:10:12: error: `YYYY-MM-DD` is the template's placeholder: write the date "
            "(YYYY-MM-DD, or YYYY-MM, YYYY when only the month or year is known)") in check.stderr.splitlines()


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta name="date" content="2023-03-10">', "2023-03-10"),
    ('<meta property="article:published_time" content="2023-03-10T19:05:00+03:30">', "2023-03-10"),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "NewsArticle", '
     '"datePublished": "2023-03-11T08:00:00Z"}]}</script>', "2023-03-11"),
    ('</head><body><p>By the desk, <time itemprop="datePublished" datetime="2023-03-12">12 March</time></p>',
     "2023-03-12"),
])
def test_a_web_page_s_date_comes_from_its_metadata(dossier, head, expected):
    data, notes = _import(dossier, "mehr.html", f"<html><head>{head}<title>Talks</title></head>"
                                                f"<body><article>{BODY}</article></body></html>")
    assert data["published"].isoformat() == expected
    assert not any("published" in note for note in notes)


def test_a_text_file_with_a_dateline_first_takes_the_next_line_as_title(dossier):
    data, notes = _import(dossier, "mehr.txt", "Friday, March 10, 2023\n\nIran and Saudi Arabia agree to restore ties\n\n"
                                               "The agreement of 5/27/1998 was recalled.\n")
    assert (data["title"], data["published"].isoformat()) == ("Iran and Saudi Arabia agree to restore ties", "2023-03-10")
    assert notes == ["note: published: 2023-03-10, read from the dateline at the top (“Friday, March 10, 2023”); check it",
                     "note: title: taken from the first line of the text; check it",
                     "note: not found in the document: outlet, author, url, language; fill them in by hand"]


def test_a_text_file_without_a_dateline_never_gets_today_or_a_body_date(dossier):
    data, notes = _import(dossier, "lemonde.txt", "L'Iran et l'Arabie saoudite renouent\n\n"
                                                  "Le 10 mars 2023, les deux pays ont annoncé à Pékin un accord.\n")
    assert data["published"] == "YYYY-MM-DD" and data["title"] == "L'Iran et l'Arabie saoudite renouent"
    assert PLACEHOLDER_NOTE in notes


def test_a_long_first_line_is_cut_at_a_word_and_a_stray_date_token_is_left_out(dossier):
    first = ("Accord entre l'Arabie saoudite et l'Iran : Pékin s'impose en médiateur au Moyen-Orient, "
             "et les États-Unis observent une diplomatie chinoise qui avance sous couverture")
    data, notes = _import(dossier, "monde.txt", f"{first} date 2023-03\n\nLe texte.\n")
    title = data["title"]
    assert title == "Accord entre l'Arabie saoudite et l'Iran : Pékin s'impose en médiateur au Moyen-Orient, et les " \
                    "États-Unis observent une diplomatie chinoise qui avance …"
    assert first.startswith(title.removesuffix(" …") + " ") and data["published"] == "2023-03"  # cut between words
    assert notes[:2] == ["note: published: 2023-03, read from “date 2023-03” at the end of the first line (left out "
                         "of the title); check it", "note: title: the first line is long: cut after 22 words; check it"]


def test_header_lines_at_the_top_are_read_as_such(dossier):
    data, notes = _import(dossier, "tass.txt", "title: Saudi, Iranian ministers meet in Beijing\ndate: 2023-04-06\n"
                                               "source: TASS\n\nThe ministers met on April 6. A 2016 break was recalled.\n")
    assert data == {"title": "Saudi, Iranian ministers meet in Beijing", "published": datetime.date(2023, 4, 6),
                    "outlet": "TASS"}
    assert notes[0] == "note: read from the header lines at the top: outlet, published, title; check them"


def test_an_updated_line_is_neither_the_date_nor_the_title(dossier):
    data, notes = _import(dossier, "irna.txt", "Updated: March 12, 2023\nIran and Saudi Arabia restore ties\n"
                                               "Friday, March 10, 2023\n\nThe text.\n")
    assert (data["title"], data["published"].isoformat()) == ("Iran and Saudi Arabia restore ties", "2023-03-10")
    assert notes[0] == "note: published: 2023-03-10, read from the dateline at the top (“Friday, March 10, 2023”); check it"


def test_a_line_that_only_looks_like_a_header_stays_text(dossier):
    data, _ = _import(dossier, "essay.txt", "Language: a barrier between Riyadh and Tehran\n\n"
                                           "Source: officials say the talks went well.\n")
    assert data["title"] == "Language: a barrier between Riyadh and Tehran"
    assert "language" not in data and "outlet" not in data

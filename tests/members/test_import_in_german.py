"""A member list's problems are reason codes (members/member_import.py, domain/csvfiles.py)
rendered in the reader's language: the admin's import page read in German shows none of the
English sentences the importer once wrote itself (issue 11, "text out of the core").

The German words for these sentences come from the catalogues, which the maintainers fill in
after the code; until a sentence has its translation, the test lends it a German stand-in, so
what it checks is that every sentence on the page goes through the catalogue (an English
string written in the code would still show)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db

HEADER = "email,name,city,languages,chapter,willing_to_meet,consent_date\n"

STAND_INS = {
    "line %(line)s: %(problem)s": "Zeile %(line)s: %(problem)s",
    "the column %(column)s appears twice in the header (columns %(first)s and %(second)s)":
        "die Spalte %(column)s steht zweimal in der Kopfzeile (Spalten %(first)s und "
        "%(second)s)",
    "city %(city)s is not in the gazetteer (cities of 15,000 people or more): write the "
    "nearest larger city, or its GeoNames id":
        "Stadt %(city)s fehlt im Ortsverzeichnis (Städte ab 15.000 Menschen): nennen Sie die "
        "nächste größere Stadt oder ihre GeoNames-ID",
    "languages: %(language)s is not a language code (e.g. en, es, pt-br)":
        "Sprachen: %(language)s ist kein Sprachcode (z. B. en, es, pt-br)",
    "consent_date is empty: import only people who agreed to join":
        "consent_date ist leer: importieren Sie nur Menschen, die zugestimmt haben",
    "%(rows)s members to import, %(skipped)s skipped (already members), %(errors)s rows with "
    "errors, %(warnings)s warnings":
        "%(rows)s Mitglieder zu importieren, %(skipped)s übersprungen (schon Mitglieder), "
        "%(errors)s Zeilen mit Fehlern, %(warnings)s Warnungen",
}
ENGLISH = [
    "line 1:", "line 2:", "line 3:", "line 4:", "appears twice", "in the header",
    "is not in the gazetteer", "nearest larger city", "is not a language code",
    "consent_date is empty", "agreed to join", "members to import", "skipped (already members)",
    "rows with errors", "warnings",
]


@pytest.fixture
def german(monkeypatch):
    """German, with a stand-in for each sentence the catalogue does not translate yet."""
    catalogue = trans_real.translation("de")._catalog
    missing = {msgid: text for msgid, text in STAND_INS.items() if not catalogue.get(msgid)}
    monkeypatch.setattr(catalogue, "_catalogs", [missing, *catalogue._catalogs])
    monkeypatch.setattr(catalogue, "_plurals", [catalogue._plurals[0], *catalogue._plurals])
    with translation.override("de"):
        yield


@pytest.fixture
def admin_client(client, organization):
    staff = make_member("staff@example.org", "Staff", is_staff=True, is_superuser=True)
    return client_for(client, staff)


def upload(admin_client, text: str) -> str:
    return admin_client.post(reverse("admin:members_member_import"),
                             {"file": SimpleUploadedFile("m.csv", text.encode())},
                             HTTP_ACCEPT_LANGUAGE="de").text


def test_the_problems_of_a_member_list_read_in_german(german, admin_client):
    page = upload(admin_client, HEADER + (
        "x@example.org,X,Nowhereville,,,,2013-01-01\n"
        "y@example.org,Y,Wien,klingon,,,2013-01-01\n"
        "z@example.org,Z,Wien,,,,\n"))
    assert "Nowhereville" in page  # the problems are shown
    assert "klingon" in page
    for english in ENGLISH:
        assert english not in page, english


def test_a_file_that_cannot_be_read_is_refused_in_german(german, admin_client):
    page = upload(admin_client, "email,name,email,city,consent_date\nx@example.org,X,,Wien,\n")
    assert "&#x27;email&#x27;" in page  # the refusal is shown
    for english in ENGLISH:
        assert english not in page, english

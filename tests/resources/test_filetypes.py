"""The library's file types are decided from content: the pure classifier."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chapterhouse.resources import filetypes
from tests.resources import samples

LIMIT = 1024 * 1024


def classify(data: bytes, limit: int = LIMIT):
    return filetypes.classify(io.BytesIO(data), size=len(data), max_bytes=limit)


@pytest.mark.parametrize(("data", "kind"), [
    (samples.PNG, filetypes.PNG),
    (samples.PDF, filetypes.PDF),
    (samples.docx(), filetypes.DOCX),
    (b"Pick a public place.\nBring a sign-up sheet.\n", filetypes.TEXT),
    ("\ufeffÜbersicht: ein Kapitel gründen\n".encode(), filetypes.TEXT),
])
def test_documents_images_and_plain_text_are_accepted_as_what_they_are(data, kind):
    assert classify(data) == kind


@pytest.mark.parametrize("data", [
    samples.SVG_WITH_SCRIPT, samples.BARE_SVG_WITH_SCRIPT, samples.HTML_WITH_SCRIPT,
    samples.TEXT_THEN_SCRIPT, b"  <?xml version='1.0'?><x/>", b"<p>hello</p>",
    b"Notes\n<iframe src=https://evil.example>", b"<svg:svg xmlns:svg='x'/>",
])
def test_markup_a_browser_could_run_is_refused(data):
    assert classify(data) == filetypes.Refused("markup", "text/html")


def test_office_documents_with_macros_are_refused():
    assert classify(samples.docx(macros=True)).reason == "macros"


@pytest.mark.parametrize("data", [b"MZ\x90\x00", b"\x7fELF\x02\x01", b"\xff\xfe\x00t\x00e",
                                  b"text with a \x00 in it"])
def test_executables_and_binary_blobs_are_refused(data):
    assert classify(data).reason == "unknown"


def test_empty_and_oversized_files_are_refused():
    assert classify(b"").reason == "empty"
    assert classify(b"x" * 11, limit=10).reason == "too_large"


def test_old_svg_and_html_files_are_served_as_opaque_bytes():
    assert filetypes.serving_type(samples.SVG_WITH_SCRIPT) == filetypes.OPAQUE
    assert filetypes.serving_type(samples.HTML_WITH_SCRIPT) == filetypes.OPAQUE
    assert filetypes.serving_type(samples.PNG) == filetypes.PNG
    assert filetypes.serving_type(b"plain notes") == filetypes.TEXT


@given(st.binary(max_size=512))
def test_no_content_is_ever_served_as_a_page_or_svg(data):
    mime = filetypes.serving_type(data).mime
    assert "html" not in mime
    assert "svg" not in mime
    assert "xml" not in mime


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("flyer.svg", filetypes.PNG, "flyer.png"),
    ('a"b;c\r\n.html', filetypes.OPAQUE, "a-b-c.bin"),
    ("../../etc/passwd", filetypes.TEXT, "passwd.txt"),
    ("guide.md", filetypes.TEXT, "guide.md"),
    ("Übersicht 2014.pdf", filetypes.PDF, "Übersicht-2014.pdf"),
    (".svg", filetypes.OPAQUE, "svg.bin"),
])
def test_download_names_keep_a_safe_stem_and_the_extension_of_the_content(name, kind, expected):
    assert filetypes.download_name(name, kind) == expected

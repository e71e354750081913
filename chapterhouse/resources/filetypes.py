"""Which files the library accepts, decided from their content, never from the name or the
browser's content type.

Accepted: documents and images that cannot run script in a browser (PDF, PNG, JPEG, GIF, WebP,
EPUB, ODT, DOCX, MP4, WebM) and plain UTF-8 text (notes, Markdown). Refused: SVG, HTML, XML and
anything else that a browser would render as a page, office files that carry macros, and
anything unrecognised. Pure: bytes in, a type or a reason code out; no Django (the words for
the codes are in resources/reasons.py).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO, Literal

import filetype

from chapterhouse.domain.reasons import Reason as ReasonCode
from chapterhouse.domain.reasons import reason as reason_code

HEAD_BYTES = 8192  # what filetype reads to recognise a format


@dataclass(frozen=True)
class FileType:
    mime: str  # the Content-Type the file is served with
    extension: str  # the extension it is stored and downloaded with
    zipped: bool = False  # a ZIP container whose entries are checked for macros and scripts


PDF = FileType("application/pdf", "pdf")
PNG = FileType("image/png", "png")
JPEG = FileType("image/jpeg", "jpg")
GIF = FileType("image/gif", "gif")
WEBP = FileType("image/webp", "webp")
EPUB = FileType("application/epub+zip", "epub", zipped=True)
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", zipped=True)
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
    zipped=True,
)
MP4 = FileType("video/mp4", "mp4")
WEBM = FileType("video/webm", "webm")
TEXT = FileType("text/plain; charset=utf-8", "txt")
MARKDOWN = FileType("text/plain; charset=utf-8", "md")
# Stored files of any other kind (from before these checks) are served as opaque bytes.
OPAQUE = FileType("application/octet-stream", "bin")

BY_DETECTED_MIME = {
    "application/pdf": PDF,
    "image/png": PNG,
    "image/apng": PNG,
    "image/jpeg": JPEG,
    "image/gif": GIF,
    "image/webp": WEBP,
    "application/epub+zip": EPUB,
    "application/vnd.oasis.opendocument.text": ODT,
    DOCX.mime: DOCX,
    "video/mp4": MP4,
    "video/webm": WEBM,
}
ACCEPTED_EXTENSIONS = (
    "pdf", "png", "jpg", "jpeg", "gif", "webp", "epub", "odt", "docx", "mp4", "webm", "txt", "md",
)

# Text a browser could take for a page or a vector image: a leading tag, or a tag that runs
# script or embeds content anywhere in it.
LEADING_MARKUP = re.compile(r"\A\s*<[!?a-zA-Z]")
SCRIPTABLE_TAG = re.compile(
    r"<\s*/?\s*(?:(?:script|svg|html|head|body|iframe|frame|frameset|object|embed|applet|meta|"
    r"link|style|base|form|math)(?=[\s/>])|(?:svg|html|xsl):|!doctype|\?xml)",
    re.IGNORECASE,
)
# ZIP entries that hold macros or scripts: VBA projects, OpenDocument Basic, EPUB scripts.
SCRIPT_ENTRY_IN_EPUB = re.compile(r"\.(?:js|mjs)$", re.IGNORECASE)
SCRIPT_ENTRY_IN_OFFICE = re.compile(r"vbaProject\.bin$|^Basic/|^Scripts/|\.js$", re.IGNORECASE)

Reason = Literal["empty", "too_large", "markup", "macros", "unknown"]


@dataclass(frozen=True)
class Refused:
    reason: Reason
    detected: str = ""  # what the content is, when known (e.g. "image/svg+xml")


MEGABYTE = 1024 * 1024


def refusal_reason(refused: Refused, *, size: int, max_bytes: int) -> ReasonCode:
    """Why an upload is refused, as a reason code with what its sentence needs."""
    if refused.reason == "too_large":
        return reason_code("upload.too_large", limit=max_bytes / MEGABYTE, mb=size / MEGABYTE)
    if refused.reason == "empty":
        return reason_code("upload.empty")
    if refused.reason == "markup":
        return reason_code("upload.markup")
    if refused.reason == "macros":
        return reason_code("upload.macros")
    return reason_code("upload.unknown")


def classify(stream: BinaryIO, *, size: int, max_bytes: int) -> FileType | Refused:
    """The accepted type of an upload, or why it is refused. Reads `stream` from its start."""
    if size == 0:
        return Refused("empty")
    if size > max_bytes:
        return Refused("too_large")
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    kind = filetype.guess(head)
    if kind is not None:
        accepted = BY_DETECTED_MIME.get(kind.mime)
        if accepted is None:
            return Refused("unknown", kind.mime)
        if accepted.zipped and _carries_script(stream, accepted):
            return Refused("macros", kind.mime)
        return accepted
    stream.seek(0)
    return _text(stream.read())


def serving_type(head: bytes) -> FileType:
    """How to serve a stored file from its first bytes: its accepted type if it has one, plain
    text if it is text without markup, otherwise opaque bytes (old SVG or HTML uploads)."""
    kind = filetype.guess(head)
    if kind is not None:
        return BY_DETECTED_MIME.get(kind.mime, OPAQUE)
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return OPAQUE
    return TEXT if _plain(text) else OPAQUE


def download_name(original: str, kind: FileType) -> str:
    """A safe file name: the original stem in letters (any script), digits, '-' and '_', and
    the extension of the type the content has (never the one the uploader chose)."""
    path = PurePath(original.replace("\\", "/"))
    stem = re.sub(r"[^\w-]+", "-", path.stem).strip("-_")[:80] or "file"
    extension = kind.extension
    if kind == TEXT and path.suffix.lower() in {".md", ".markdown"}:
        extension = MARKDOWN.extension
    return f"{stem}.{extension}"


def _text(data: bytes) -> FileType | Refused:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Refused("unknown")
    if LEADING_MARKUP.match(text) or SCRIPTABLE_TAG.search(text):
        return Refused("markup", "text/html")
    return TEXT if _plain(text) else Refused("unknown")


def _plain(text: str) -> bool:
    """Printable text: no NUL or other control characters except tab and line breaks, and
    no markup a browser could render."""
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return False
    return not (LEADING_MARKUP.match(text) or SCRIPTABLE_TAG.search(text))


def _carries_script(stream: BinaryIO, kind: FileType) -> bool:
    pattern = SCRIPT_ENTRY_IN_EPUB if kind == EPUB else SCRIPT_ENTRY_IN_OFFICE
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            return any(pattern.search(name) for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # a container that does not open cannot be checked

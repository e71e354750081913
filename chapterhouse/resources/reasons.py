"""Words for the library's reason codes (resources/filetypes.py says why an upload is refused;
these say it to the person, in their language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.reasons import Words


def _too_large(params: Mapping[str, Any]) -> str:
    return gettext("Files can be up to %(limit).0f MB; this one is %(mb).1f MB.") % {
        "limit": params["limit"], "mb": params["mb"]}


WORDS: dict[str, Words] = {
    "upload.too_large": _too_large,
    "upload.empty": _("This file is empty."),
    "upload.markup": _("This file is a web page, an SVG image or XML, which can run scripts: it "
                       "cannot be added. Save it as a PDF, PNG or plain text instead."),
    "upload.macros": _("This document contains macros or scripts: it cannot be added. Save it "
                       "without them, or as a PDF."),
    "upload.unknown": _("This type of file is not allowed. The library accepts PDF, EPUB, ODT "
                        "and DOCX documents, PNG, JPEG, GIF and WebP images, MP4 and WebM "
                        "videos, and plain text."),
}

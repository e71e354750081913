"""Small files of each kind, made in memory, for the upload tests."""

import io
import zipfile

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SVG_WITH_SCRIPT = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
                   b'<script>document.title = "pwned"; fetch("/pwned/");</script></svg>\n')
BARE_SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
HTML_WITH_SCRIPT = (b"<!doctype html><html><body>"
                    b"<script>document.title = 'pwned'; fetch('/pwned/');</script></body></html>")
TEXT_THEN_SCRIPT = b"Meet us on Tuesday.\n\n<script>alert(document.cookie)</script>\n"


def docx(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()

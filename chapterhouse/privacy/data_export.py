"""'Download my data': one member's data as a zip of JSON and CSV, built in the request.

It is per member and small (hundreds of rows at most), so it is made on the fly with the
standard library's `zipfile`; uploaded files are copied in when each is at most
DATA_EXPORT_MAX_FILE_BYTES, otherwise listed with their size.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from chapterhouse.members.models import Member
from chapterhouse.privacy import selectors

README = """Your data from {site}, exported {when}.

data.json holds every table; each table is also a CSV file of the same name.
How you voted is not here: secret ballots are stored apart from who voted and cannot be
linked to you, not even for this export. Files you uploaded are in uploads/ when small;
uploads.csv lists all of them.
"""


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def member_data_zip(member: Member) -> bytes:
    data = selectors.member_data(member)
    limit = settings.DATA_EXPORT_MAX_FILE_BYTES
    files: list[tuple[str, FieldFile]] = []
    for resource in selectors.resource_uploads(member):
        name = PurePosixPath(resource.file.name).name if resource.file.name else ""
        size: int | None = None
        copied_as = ""
        if resource.file:
            try:
                size = resource.file.size
            except OSError:  # listed in the database but missing from storage
                size = None
            if size is not None and size <= limit:
                copied_as = f"uploads/{resource.pk}-{name}"
                files.append((copied_as, resource.file))
        data["uploads"].append({
            "title": resource.title, "description": resource.description,
            "kind": resource.kind, "language": resource.language, "link": resource.link,
            "file": name, "size": size, "copied_as": copied_as, "added_at": resource.added_at})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(site=settings.SITE_URL,
                                                     when=timezone.now().isoformat()))
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2,
                                                 ensure_ascii=False))
        for name, rows in data.items():
            archive.writestr(f"{name}.csv", _csv(json.loads(json.dumps(rows,
                                                                        cls=DjangoJSONEncoder))))
        for name, field in files:
            with field.open("rb") as source:
                archive.writestr(name, source.read())
    return buffer.getvalue()

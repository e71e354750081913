"""The demo's resource library: a few resources written for it, shipped as files, and links."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.db import transaction

from chapterhouse.resources.models import Kind, Resource

FILES = Path(__file__).resolve().parent / "files"

DEMO_RESOURCES = (
    ("Your first chapter meeting: a one-page guide", Kind.GUIDE, "en",
     "first-meeting-guide.md", "", "Where to meet, how to invite, what to talk about, and "
     "what to record so the chapter qualifies."),
    ("Flyer: start a chapter near you", Kind.FLYER, "en", "flyer-start-a-chapter.txt", "",
     "A flyer to print and leave at libraries and community centres."),
    ("Volante: empieza un capítulo cerca de ti", Kind.FLYER, "es",
     "volante-empieza-un-capitulo.txt", "", "El volante, en español."),
    ("Movie night in a box", Kind.VIDEO, "en", "movie-night.md", "",
     "How to run a film evening as a second meeting."),
    ("Occupy Strategy (book)", Kind.BOOK, "en", "", "https://example.org/occupy-strategy",
     "The book that New York City's chapter starts new members with."),
)


def delete_files_after_commit() -> None:
    """The stored files of every resource are deleted once the transaction deleting their rows
    commits: deleted now, a later failure would roll the rows back and leave them without files."""
    names = [(r.file.storage, r.file.name) for r in Resource.objects.exclude(file="")
             if r.file.name]

    def delete() -> None:
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def seed_resources() -> None:
    delete_files_after_commit()  # no orphan files after re-seeding
    Resource.objects.all().delete()
    for title, kind, language, filename, link, description in DEMO_RESOURCES:
        resource = Resource(title=title, kind=kind, language=language, link=link,
                            description=description)
        if filename:
            with (FILES / filename).open("rb") as handle:
                resource.file.save(filename, File(handle), save=False)
        resource.save()

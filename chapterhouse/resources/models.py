from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.constraints import ConstraintsOnFields
from chapterhouse.core.reasons import explain
from chapterhouse.resources import filetypes


class Kind(models.TextChoices):
    BOOK = "book", _("Book")
    GUIDE = "guide", _("Meeting guide")
    ZINE = "zine", _("Comic zine")
    FLYER = "flyer", _("Flyer")
    VIDEO = "video", _("Video for a movie night")
    OTHER = "other", _("Other")


def validate_size(upload: Any) -> None:
    """Kept for migration 0001; `validate_upload` checks the size with everything else."""


def upload_refusal_message(refused: filetypes.Refused, size: int) -> str:
    """The refusal in the active language (the words: resources/reasons.py)."""
    return explain(filetypes.refusal_reason(refused, size=size,
                                            max_bytes=settings.RESOURCE_UPLOAD_MAX_BYTES))


def validate_upload(upload: Any) -> None:
    """Refuse files that could attack their readers, judged by their content (not the name)."""
    handle = upload.file
    verdict = filetypes.classify(handle, size=upload.size,
                                 max_bytes=settings.RESOURCE_UPLOAD_MAX_BYTES)
    handle.seek(0)
    if isinstance(verdict, filetypes.Refused):
        raise ValidationError(upload_refusal_message(verdict, upload.size),
                              code=f"upload_{verdict.reason}")


class Resource(ConstraintsOnFields):
    """An organizing resource: an uploaded file or a link, in one language."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(
        _("file"), upload_to="resources/%Y/", blank=True,
        validators=[validate_upload],
    )
    link = models.URLField(_("link"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    # Neither a file nor a link: about the two fields together, so above them.
    CONSTRAINT_FIELDS = {"resource_empty": NON_FIELD_ERRORS}

    class Meta:
        ordering = ["title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""), name="resource_file_or_link",
                violation_error_code="resource_empty",
                violation_error_message=_("Upload a file or give a link."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Neither a file nor a link: the constraint says so (once), in the same words.
        if self.file and self.link:
            raise ValidationError(_("Give a file or a link, not both."))

    @property
    def filename(self) -> str:
        return Path(self.file.name).name if self.file and self.file.name else ""

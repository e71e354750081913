from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm
from chapterhouse.resources import filetypes
from chapterhouse.resources.models import Kind, Resource, validate_upload


class CheckedUploadForm(BoundedForm, forms.ModelForm):
    """A new file is judged by its content and stored under a safe name with the extension of
    the type it really is (the model's validator judges it again: the admin and any other form
    cannot skip the check)."""

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile) and upload.file is not None:
            validate_upload(upload)
            kind = filetypes.serving_type(upload.file.read(filetypes.HEAD_BYTES))
            upload.file.seek(0)
            upload.name = filetypes.download_name(upload.name or "", kind)
        return upload


class ResourceForm(CheckedUploadForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = ["title", "description", "kind", "language", "file", "link"]
        widgets = {"file": forms.ClearableFileInput(attrs={
            "accept": ",".join(f".{ext}" for ext in filetypes.ACCEPTED_EXTENSIONS)})}


class LibraryFilter(BoundedForm, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types")), *Kind.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])

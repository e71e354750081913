from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chapterhouse.resources.models import Kind, Resource


class ResourceForm(forms.ModelForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = ["title", "description", "kind", "language", "file", "link"]


class LibraryFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types")), *Kind.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])

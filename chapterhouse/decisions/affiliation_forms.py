"""Forms of the affiliation pipeline's page (decisions/affiliation_views.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.chapters.affiliation import MAX_LIST_BYTES
from chapterhouse.core.inputs import BoundedForm
from chapterhouse.decisions.affiliation import DEFAULT_DAYS, NOTE_MAX


class MoveForm(BoundedForm, forms.Form):
    to = forms.CharField(max_length=16, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ProposeForm(BoundedForm, forms.Form):
    days = forms.IntegerField(label=_("Open for how many days"), min_value=3, max_value=60,
                              initial=DEFAULT_DAYS)
    note = forms.CharField(label=_("Note for the voters"), required=False,
                           max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class ListForm(forms.Form):
    people = forms.FileField(
        label=_("The organization's list (CSV: name,email)"),
        help_text=_("A first line naming the columns name and email; at most %(kb)d KB.")
        % {"kb": MAX_LIST_BYTES // 1000})

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.coordination.models import Call, Scope
from chapterhouse.coordination.services import MAX_OCCURRENCES
from chapterhouse.core.inputs import BoundedForm


class CallForm(BoundedForm, forms.ModelForm):
    link = forms.URLField(label=_("Where to join"), required=False, assume_scheme="https",
                          help_text=_("The call's address (video or voice), shown to "
                                      "participants."))

    class Meta:
        model = Call
        fields = ["title", "description", "scope", "continent", "occurrences",
                  "duration_minutes", "link"]
        widgets = {"scope": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        occurrences = cast(forms.IntegerField, self.fields["occurrences"])
        occurrences.min_value = 1
        occurrences.max_value = MAX_OCCURRENCES
        occurrences.widget.attrs.update(min=1, max=MAX_OCCURRENCES)
        self.fields["continent"].help_text = _("For a regional call only.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("scope") == Scope.REGION and not data.get("continent"):
            self.add_error("continent", _("Choose the region a regional call is for."))
        return data


class CandidateForm(BoundedForm, forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"),
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class NotesForm(BoundedForm, forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 8}))

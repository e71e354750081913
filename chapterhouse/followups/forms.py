from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm
from chapterhouse.followups.models import NOTES_MAX, Kind


class ConversationForm(BoundedForm, forms.Form):
    occurred_on = forms.DateField(label=_("Date"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.ONE_TO_ONE)
    notes = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the next person to talk with them should know: interests, how they "
                    "can help, what they asked. Only this chapter's coordinators and its "
                    "organizer see it, and the member in their own data download; it is "
                    "deleted if the member deletes their account. "
                    "At most %(max)s characters.") % {"max": NOTES_MAX},
        error_messages={"max_length": _(
            "Notes can be at most %(limit_value)d characters; these have %(show_value)d. "
            "Keep what the next person to talk with them needs to know.")},
    )

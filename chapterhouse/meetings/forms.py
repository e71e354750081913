from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm
from chapterhouse.meetings.models import Answer
from chapterhouse.meetings.services import MAX_OCCURRENCES


class Repeat:
    ONCE = "once"
    MONTHLY = "monthly"
    MONTHLY_LAST = "monthly_last"


class ScheduleForm(BoundedForm, forms.Form):
    """A date and a wall-clock time in the chapter's zone; optionally monthly."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Optional, e.g. 'Monthly meeting' or 'Movie night'."))
    first_day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15,
                                          max_value=600, initial=120)
    venue = forms.CharField(
        label=_("Where"), max_length=200, required=False,
        help_text=_("A public meeting place, e.g. 'Library, room 2'. Never a home address."))
    repeat = forms.ChoiceField(
        label=_("Repeat"), initial=Repeat.ONCE, widget=forms.RadioSelect,
        choices=[
            (Repeat.ONCE, _("Once")),
            (Repeat.MONTHLY, _("Monthly on the same weekday (e.g. the 2nd Tuesday)")),
            (Repeat.MONTHLY_LAST, _("Monthly on the last such weekday of the month")),
        ])
    occurrences = forms.IntegerField(
        label=_("How many meetings"), min_value=1, max_value=MAX_OCCURRENCES, initial=1,
        help_text=_("For a monthly meeting: how many months ahead to schedule."))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("repeat") == Repeat.ONCE:
            data["occurrences"] = 1
        return data


class RsvpForm(BoundedForm, forms.Form):
    answer = forms.ChoiceField(label=_("Will you come?"), choices=Answer.choices)


class AttendanceExtrasForm(BoundedForm, forms.Form):
    """Beside the ticks: a guest who came (a name, no account) and an email to invite."""

    guest_name = forms.CharField(
        label=_("A guest who came"), max_length=100, required=False,
        help_text=_("Someone without an account: a name only, e.g. “Sam, Ana's "
                    "friend”. They count as an attendee."))
    guest_counts = forms.BooleanField(
        label=_("Counts toward the women's share"), required=False,
        help_text=_("Tick only if you know it. This is used only in the meeting's total and is "
                    "never shown per person, not even here."))
    invite_email = forms.EmailField(
        label=_("Invite someone to join the chapter"), required=False,
        help_text=_("They get an email and join only if they accept. This page does not tell "
                    "whether the address has an account."))


class MeetingEditForm(BoundedForm, forms.Form):
    """A meeting's time, place and description, in the chapter's zone."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15,
                                          max_value=600)
    venue = forms.CharField(
        label=_("Where"), max_length=200, required=False,
        help_text=_("A public meeting place, e.g. 'Library, room 2'. Never a home address."))
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))


class MeetingCancelForm(BoundedForm, forms.Form):
    note = forms.CharField(
        label=_("A note for those who said they would come (optional)"), max_length=500,
        required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SeriesEndForm(BoundedForm, forms.Form):
    from_day = forms.DateField(label=_("End the series from"),
                               widget=forms.DateInput(attrs={"type": "date"}))

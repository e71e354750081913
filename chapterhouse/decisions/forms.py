"""Forms for creating a poll and putting an organizing plan to a chapter.

Ballots are not Django forms: their fields depend on the poll's options, and `marks.py`
checks what was posted. Times are typed in the creator's own zone (the view activates it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.core.inputs import BoundedForm
from chapterhouse.decisions.models import GoalProposal, Level, Poll
from chapterhouse.places.models import Continent

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class PollForm(BoundedForm, forms.ModelForm[Poll]):
    options = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line. Not needed for a proposal."))
    region = forms.ChoiceField(label=_("Region (continent)"), required=False)

    class Meta:
        model = Poll
        fields = ["title", "description", "kind", "level", "region", "chapter", "opens_at",
                  "closes_at", "options", "seats", "max_choices", "max_score", "quorum",
                  "pass_threshold", "max_blocks", "secret", "results_shown", "changeable"]
        widgets = {"opens_at": LOCAL_INPUT, "closes_at": LOCAL_INPUT,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, chapters: QuerySet[Chapter], staff: bool,
                 **kwargs: Any) -> None:
        """`chapters`: those the creator may poll; `staff`: whether they may poll the whole
        organization or a region too."""
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Chapter]", self.fields["chapter"]).queryset = chapters
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", "-"), *Continent.choices]
        levels = Level.choices if staff else [
            (value, label) for value, label in Level.choices if value == Level.CHAPTER]
        cast(forms.ChoiceField, self.fields["level"]).choices = levels
        for name in ("opens_at", "closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = LOCAL_FORMATS
        self.fields["quorum"].initial = Decimal("0")

    def option_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("options", "").splitlines()
                if line.strip()]


class GoalProposalForm(BoundedForm, forms.ModelForm[GoalProposal]):
    """A goal set for the whole organization, put to the members as a proposal."""

    # The poll's own fields, with their labels, limits and help.
    title = Poll._meta.get_field("title").formfield(
        initial=_("Adopt these goals for the convention"))
    description = Poll._meta.get_field("description").formfield(
        widget=forms.Textarea(attrs={"rows": 3}))
    opens_at = Poll._meta.get_field("opens_at").formfield(widget=LOCAL_INPUT)
    closes_at = Poll._meta.get_field("closes_at").formfield(widget=LOCAL_INPUT)
    quorum = Poll._meta.get_field("quorum").formfield(initial=Decimal("0.1"))
    pass_threshold = Poll._meta.get_field("pass_threshold").formfield()

    class Meta:
        model = GoalProposal
        fields = ["title", "description", "target_members", "target_chapters",
                  "target_continents", "target_women_share", "deadline", "opens_at",
                  "closes_at", "quorum", "pass_threshold"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"target_women_share": _("A share of attendees: 0.3 = 30%.")}

    TARGETS = ("target_members", "target_chapters", "target_continents", "target_women_share",
               "deadline")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = LOCAL_FORMATS

    def targets(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.TARGETS}

    def poll_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in
                ("title", "description", "opens_at", "closes_at", "quorum", "pass_threshold")}


class EndorsementForm(BoundedForm, forms.Form):
    chapter = forms.ModelChoiceField(label=_("Put it to"), queryset=Chapter.objects.none())
    hours_per_week = forms.DecimalField(label=_("Hours a week"), min_value=Decimal("0.5"),
                                        max_value=80, decimal_places=1)
    months = forms.DecimalField(label=_("For how many months"), min_value=Decimal("0.5"),
                                max_value=36, decimal_places=1)
    starts_on = forms.DateField(label=_("Available from"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    reach_km = forms.IntegerField(label=_("Travel reach (km)"), min_value=1, max_value=2000,
                                  initial=100)
    target_areas = forms.CharField(label=_("Target areas"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, chapters: QuerySet[Chapter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Chapter]", self.fields["chapter"]).queryset = chapters


class WithdrawForm(BoundedForm, forms.Form):
    """Why a poll is withdrawn: the voters are told, so it is plain text of a bounded length."""

    reason = forms.CharField(label=_("Why"), max_length=300, required=False)  # the service asks

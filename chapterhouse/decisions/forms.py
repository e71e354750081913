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
from chapterhouse.core.shares import PercentField
from chapterhouse.decisions.models import GoalProposal, Kind, Level, Poll
from chapterhouse.places.models import Continent

LOCAL_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


# The fields each kind of poll uses, besides those every poll has: a form shows and checks
# only these, and the others keep the model's defaults.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.SINGLE: ("options", "seats"),
    Kind.MULTIPLE: ("options", "max_choices", "seats"),
    Kind.APPROVAL: ("options", "seats"),
    Kind.RANKED: ("options", "seats"),
    Kind.SCORE: ("options", "max_score", "seats"),
    Kind.PROPOSAL: ("pass_threshold", "max_blocks"),
}
KIND_HELP: dict[str, Any] = {
    Kind.SINGLE: _("Each voter picks one option."),
    Kind.MULTIPLE: _("Each voter picks up to a number of options that you set."),
    Kind.APPROVAL: _("Each voter picks every option they can accept."),
    Kind.RANKED: _("Each voter ranks the options in order of preference."),
    Kind.SCORE: _("Each voter gives each option a score."),
    Kind.PROPOSAL: _("One proposal: each voter agrees, abstains, disagrees or blocks."),
}


class PollForm(BoundedForm, forms.ModelForm[Poll]):
    """A poll of one kind (chosen first: `kind`), with only the fields that kind uses; a
    region is asked for a regional poll only and a chapter for a chapter poll only."""

    options = forms.CharField(
        label=_("Options"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line."))
    region = forms.ChoiceField(label=_("Region (continent)"), required=False,
                               help_text=_("For a poll of one region."))
    quorum = PercentField(
        label=_("Quorum (%)"), initial=Decimal("0"),
        help_text=_("Percentage of eligible voters who must take part: 25 means a quarter; "
                    "0, no quorum."))
    pass_threshold = PercentField(
        label=_("Pass threshold (%)"), initial=Decimal("0.5"),
        help_text=_("Agree votes needed, as a percentage of agree and disagree votes "
                    "together (abstentions and blocks are left out)."))

    COMMON = ("title", "description", "level", "region", "chapter", "opens_at", "closes_at",
              "quorum", "secret", "results_shown", "changeable")

    class Meta:
        model = Poll
        fields = ["title", "description", "level", "region", "chapter", "opens_at",
                  "closes_at", "options", "seats", "max_choices", "max_score", "quorum",
                  "pass_threshold", "max_blocks", "secret", "results_shown", "changeable"]
        widgets = {"opens_at": LOCAL_INPUT, "closes_at": LOCAL_INPUT,
                   "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"chapter": _("For a poll of one chapter.")}

    def __init__(self, *args: Any, kind: str, chapters: QuerySet[Chapter], staff: bool,
                 **kwargs: Any) -> None:
        """`kind`: one of Kind's values; `chapters`: those the creator may poll; `staff`:
        whether they may poll the whole organization or a region too."""
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.instance.kind = kind
        levels = Level.choices if staff else [
            (value, label) for value, label in Level.choices if value == Level.CHAPTER]
        # What does not apply is neither shown nor checked: other kinds' fields, and the
        # region or chapter of another level than the one posted.
        applies = {*self.COMMON, *KIND_FIELDS[kind]}
        level = self.data.get("level") if self.is_bound else None
        if not staff or (level is not None and level != Level.REGION):
            applies.discard("region")
        if level is not None and level != Level.CHAPTER:
            applies.discard("chapter")
        for name in [name for name in self.fields if name not in applies]:
            del self.fields[name]
        cast(forms.ChoiceField, self.fields["level"]).choices = levels
        if "chapter" in self.fields:
            chapter = cast("forms.ModelChoiceField[Chapter]", self.fields["chapter"])
            chapter.queryset = chapters
            chapter.required = level == Level.CHAPTER
        if "region" in self.fields:
            region = cast(forms.ChoiceField, self.fields["region"])
            region.choices = [("", "-"), *Continent.choices]
            region.required = level == Level.REGION
        for name in ("opens_at", "closes_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = LOCAL_FORMATS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        data["kind"] = self.kind
        return data

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
    quorum = PercentField(
        label=_("Quorum (%)"), initial=Decimal("0.1"),
        help_text=_("Percentage of eligible voters who must take part: 25 means a quarter; "
                    "0, no quorum."))
    pass_threshold = PercentField(
        label=_("Pass threshold (%)"), initial=Decimal("0.5"),
        help_text=_("Agree votes needed, as a percentage of agree and disagree votes "
                    "together (abstentions and blocks are left out)."))
    target_women_share = PercentField(
        label=_("Women's participation (%)"), initial=Decimal("0.3"),
        help_text=_("A percentage of attendees, from 0 to 100."))

    class Meta:
        model = GoalProposal
        fields = ["title", "description", "target_members", "target_chapters",
                  "target_continents", "target_women_share", "deadline", "opens_at",
                  "closes_at", "quorum", "pass_threshold"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"})}

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

"""The convention's forms: the staff's settings (shares typed as percentages), a session's
motion, a vote and a proxy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chapterhouse.convention.models import (
    Choice,
    ConventionSettings,
    Delegate,
    MethodChoice,
    Weighting,
)
from chapterhouse.core.inputs import BoundedForm, row_id
from chapterhouse.members.models import Member


def _percent(share: Decimal) -> str:
    """0.300 as "30", 0.125 as "12.5" (normalize alone writes 30 as "3E+1")."""
    return format((Decimal(share) * 100).normalize(), "f")


class _Ids(forms.ModelMultipleChoiceField):
    """Ids checked before the query: a 30-digit id would overflow the database's integer."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            if row_id(str(pk)) is None:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"],
                                            code="invalid_pk_value", params={"pk": pk})
        return super().clean(value)


class _Id(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and row_id(str(value)) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"],
                                        code="invalid_choice")
        return super().to_python(value)


class SettingsForm(BoundedForm, forms.Form):
    seats = forms.IntegerField(label=_("Delegate seats in all"), min_value=1, max_value=10_000)
    floor = forms.IntegerField(label=_("Seats every qualifying chapter gets at least"),
                               min_value=0, max_value=100)
    method = forms.ChoiceField(label=_("Apportionment method"), choices=MethodChoice.choices)
    weighting = forms.ChoiceField(label=_("How delegates' votes weigh"),
                                  choices=Weighting.choices, widget=forms.RadioSelect)
    women_percent = forms.DecimalField(
        label=_("Women among each chapter's delegates, at least (percent)"), min_value=0,
        max_value=100, decimal_places=1, max_digits=4, required=False,
        help_text=_("Leave empty for no rule. Rounded up: 30 percent of 1 to 3 delegates is 1."))
    quorum_percent = forms.DecimalField(
        label=_("Quorum (percent of the delegates' weight)"), min_value=0, max_value=100,
        decimal_places=1, max_digits=4)

    @classmethod
    def initial_from(cls, chosen: ConventionSettings) -> dict[str, Any]:
        return {"seats": chosen.seats, "floor": chosen.floor, "method": chosen.method,
                "weighting": chosen.weighting,
                "women_percent": (None if chosen.women_share is None
                                  else _percent(chosen.women_share)),
                "quorum_percent": _percent(chosen.quorum)}

    def shares(self) -> tuple[Decimal | None, Decimal]:
        women = self.cleaned_data["women_percent"]
        return (None if women is None else (women / 100).quantize(Decimal("0.001")),
                (self.cleaned_data["quorum_percent"] / 100).quantize(Decimal("0.001")))


class SessionForm(BoundedForm, forms.Form):
    title = forms.CharField(label=_("Motion"), max_length=200)


class VoteForm(BoundedForm, forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices,
                               widget=forms.RadioSelect)
    for_delegate = forms.IntegerField(required=False, widget=forms.HiddenInput,
                                      min_value=1, max_value=2**31 - 1)


class ProxyForm(BoundedForm, forms.Form):
    holder = _Id(label=_("Give my vote in this session to"),
                                    queryset=Delegate.objects.none())

    def __init__(self, *args: Any, holders: list[Delegate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["holder"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (Delegate.objects.filter(pk__in=[d.pk for d in holders])
                          .select_related("member", "chapter"))
        field.label_from_instance = _delegate_label  # type: ignore[method-assign,assignment]


def _delegate_label(delegate: Delegate) -> str:
    return f"{delegate.member.display_name} ({delegate.chapter.name})"


class ElectionForm(BoundedForm, forms.Form):
    """A chapter's delegate election: its candidates (members of the chapter) and the days to
    vote. Whether a candidate stands as a woman for the share rule is not asked here: only the
    candidate says it (CandidacyForm)."""

    candidates = _Ids(
        label=_("Candidates"), queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each candidate is emailed: they may withdraw, and only they say whether "
                    "they stand as a woman for the share rule."))
    days = forms.IntegerField(label=_("Days to vote"), min_value=1, max_value=60, initial=7)

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members
        field.label_from_instance = _member_label  # type: ignore[method-assign,assignment]


class CandidacyForm(BoundedForm, forms.Form):
    """A candidate's own declaration for the women's share rule."""

    counts_as_woman = forms.BooleanField(
        label=_("I stand as a woman for the share rule"), required=False,
        help_text=_("Shown to the chapter's members in this election. Your profile is not "
                    "read; if you say nothing, you count as not a woman for the rule."))


def _member_label(member: Member) -> str:
    return member.display_name

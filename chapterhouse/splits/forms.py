from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.members import citysearch
from chapterhouse.splits.models import Source
from chapterhouse.splits.services import MAX_PARTS, PartSpec

NEAR_KM = 100


class SplitProposeForm(BoundedForm, forms.Form):
    """The parts, one a line: a name, a colon, and the city at its centre."""

    parts = forms.CharField(
        label=_("Parts"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One part a line: its name, a colon, and the city at its centre, for "
                    "example “Brooklyn: Brooklyn, United States”."))
    days = forms.IntegerField(label=_("Days to vote"), min_value=1, max_value=60, initial=7)
    source = forms.ChoiceField(choices=Source.choices, widget=forms.HiddenInput,
                               initial=Source.TYPED)

    def __init__(self, *args: Any, near: tuple[float, float] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.near = near  # the chapter's home: of several cities of one name, the near one

    def clean_parts(self) -> list[PartSpec]:
        lines = [line.strip() for line in self.cleaned_data["parts"].splitlines()
                 if line.strip()]
        if len(lines) > MAX_PARTS:
            raise forms.ValidationError(_("At most %(most)d parts.") % {"most": MAX_PARTS})
        parts = []
        for line in lines:
            name, sep, city = line.partition(":")
            name, city = name.strip(), (city if sep else name).strip()
            matches = citysearch.resolve(city)
            if not matches:
                raise forms.ValidationError(_("We could not find a city called “%(city)s”.")
                                            % {"city": city})
            if len(matches) > 1 and self.near is not None:
                # Several cities of that name ("Manhattan"): the one near the chapter.
                lat, lon = self.near
                nearest = min(matches, key=lambda m: great_circle_km(
                    lat, lon, m.city.latitude, m.city.longitude))
                if great_circle_km(lat, lon, nearest.city.latitude,
                                   nearest.city.longitude) <= NEAR_KM:
                    matches = [nearest]
            if len(matches) > 1:
                raise forms.ValidationError(
                    _("Several cities match “%(city)s”: add the country, as in “%(label)s”.")
                    % {"city": city, "label": matches[0].city.label})
            parts.append(PartSpec(name, matches[0].city.geonameid))
        return parts


def part_line(name: str, label: str) -> str:
    return f"{name}: {label}"


class SplitAnswerForm(BoundedForm, forms.Form):
    part = forms.ChoiceField(label=_("Your chapter"), widget=forms.RadioSelect)
    coordinate = forms.BooleanField(label=_("I will coordinate it"), required=False)

    def __init__(self, *args: Any, parts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["part"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*((str(pk), name) for pk, name in parts),
                         ("none", _("None of them: I leave the chapter"))]

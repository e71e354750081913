from __future__ import annotations

from typing import Any

from django import forms

from chapterhouse.notices.kinds import CHOOSABLE, Category, Frequency
from chapterhouse.notices.labels import CATEGORY_LABELS, FREQUENCY_LABELS


class PreferencesForm(forms.Form):
    """One choice per category a member may turn off (account mail is not among them)."""

    def __init__(self, *args: Any, initial_frequencies: dict[Category, Frequency],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(f.value, FREQUENCY_LABELS[f]) for f in Frequency]
        for category in CHOOSABLE:
            self.fields[category.value] = forms.ChoiceField(
                label=str(CATEGORY_LABELS[category]), choices=choices,
                initial=initial_frequencies[category].value)

    def frequencies(self) -> dict[Category, Frequency]:
        return {Category(name): Frequency(value) for name, value in self.cleaned_data.items()}

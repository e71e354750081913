from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm


class PlanForm(BoundedForm, forms.Form):
    radius_km = forms.FloatField(
        label=_("Travel radius (km)"), min_value=1, max_value=200,
        help_text=_("Every member of a new chapter lives within this distance of its meeting "
                    "point."),
    )
    min_size = forms.IntegerField(
        label=_("Minimum members per new chapter"), min_value=1, max_value=100,
        help_text=_("At least the rule's minimum attendees; more if not everyone comes."),
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from chapterhouse.chapters.services import VISION_MAX
from chapterhouse.core.inputs import BoundedForm
from chapterhouse.members.forms import validate_display_name

RADIUS_CHOICES = [(10, _("10 km")), (25, _("25 km")), (40, _("40 km")), (80, _("80 km"))]


class StartChapterForm(BoundedForm, forms.Form):
    name = forms.CharField(
        label=_("Chapter name"), max_length=200, required=False,
        validators=[validate_display_name],
        help_text=_("Leave empty to name it after your city."),
    )
    description = forms.CharField(
        label=_("A few words about it (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    radius_km = forms.TypedChoiceField(
        label=_("How far do members travel to meetings?"), choices=RADIUS_CHOICES, coerce=int,
        initial=25,
    )
    invite = forms.BooleanField(
        label=_("Invite the members without a chapter in this area"), required=False,
        initial=True,
        help_text=_("Each gets an invitation by email and on the site. No one sees who else "
                    "was invited or anyone's email."),
    )
    # Set by the page after it warned that the city lies inside an existing chapter's area.
    despite_covering = forms.BooleanField(required=False, widget=forms.HiddenInput)


class VisionForm(BoundedForm, forms.Form):
    text = forms.CharField(
        label=_("Our local vision"), max_length=VISION_MAX, required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("How your chapter adapts the organization's vision to your city. Plain "
                    "text: blank lines separate paragraphs."),
    )

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.inputs import BoundedForm
from chapterhouse.places.models import Continent


class NeedForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["title", "details", "language", "chapter"]

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        # Only chapters the member coordinates can be asked for.
        self.fields["chapter"].queryset = member.coordinated_chapters.order_by("name")
        if not self.fields["chapter"].queryset.exists():
            del self.fields["chapter"]


class OfferForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = Offer
        fields = ["message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class BoardFilter(BoundedForm, forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False,
                               choices=[("", _("All regions")),
                                        *Continent.choices])
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("All languages")), *settings.LANGUAGES])

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.inbox.forms import ReplyForm
from chapterhouse.members.models import Member
from chapterhouse.places.models import Continent


class NeedForm(BoundedForm, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["title", "details", "language", "chapter"]

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only chapters the member coordinates can be asked for.
        chapters = member.coordinated_chapters.order_by("name")
        if chapters.exists():
            cast("forms.ModelChoiceField[Any]", self.fields["chapter"]).queryset = chapters
        else:
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



class TalkForm(ReplyForm):
    """A message to the other side of an offer: the inbox's form, limits and one-time token."""

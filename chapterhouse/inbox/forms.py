from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.inputs import BoundedForm
from chapterhouse.inbox.services import SUBJECT_MAX


class TokenForm(BoundedForm, forms.Form):
    """A form with a one-time token: posting it twice makes one message (services.py)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = uuid.uuid4().hex


def _body_field() -> forms.CharField:
    limit = settings.INBOX_MESSAGE_MAX_CHARS
    return forms.CharField(
        label=_("Message"), max_length=limit, strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("At most %(limit)d characters. Your email address is never shown.")
        % {"limit": limit},
        error_messages={"max_length": _(
            "A message can be at most %(limit_value)d characters long; this one has "
            "%(show_value)d. Nothing was sent: shorten it and send it again.")})


class ReplyForm(TokenForm):
    body = _body_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field()  # the limit as set now (tests change it)


class WriteForm(ReplyForm):
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    field_order = ["subject", "body", "token"]


class ChapterWriteForm(WriteForm):
    audience = forms.ChoiceField(label=_("To"), widget=forms.RadioSelect)
    field_order = ["audience", "subject", "body", "token"]

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        audience.choices = choices
        if len(choices) == 1:
            audience.initial = choices[0][0]

"""The one way a view shows a refusal (a ValidationError from a service) to the person."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def show_refusal(request: HttpRequest, error: ValidationError,
                 form: forms.BaseForm | None = None) -> None:
    """On the form when there is one (above its fields, or on the field the error names),
    otherwise as one message per sentence at the top of the next page."""
    if form is not None:
        form.add_error(None, error)
        return
    for message in error.messages:
        messages.error(request, message)

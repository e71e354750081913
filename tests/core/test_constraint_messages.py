"""A constraint broken through a form (the site's or the admin's) reads as a plain, translated
sentence beside the field at fault, never `Constraint "..." is violated.`"""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import translation

from chapterhouse.chapters.models import ChapterMembership, Invitation
from chapterhouse.coordination.forms import CallForm
from chapterhouse.core.constraints import ConstraintsOnFields
from chapterhouse.decisions.models import Poll

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Other tests' requests may leave another language active in this thread."""
    with translation.override("en"):
        yield


def models_behind_forms() -> set[type[models.Model]]:
    """Every model a person edits through a form: the admin's (with its inlines) and the
    site's model forms."""
    found: set[type[models.Model]] = set()
    for model, model_admin in admin.site._registry.items():
        found.add(model)
        found.update(inline.model for inline in getattr(model_admin, "inlines", []))
    found = {model for model in found if model.__module__.startswith("chapterhouse.")}
    from chapterhouse.decisions.forms import GoalProposalForm, PollForm
    from chapterhouse.helpboard.forms import NeedForm, OfferForm
    from chapterhouse.resources.forms import ResourceForm
    for form in (PollForm, GoalProposalForm, CallForm, ResourceForm, NeedForm, OfferForm):
        found.add(form._meta.model)
    return found


def needs_words(constraint: models.BaseConstraint) -> bool:
    """Django words a unique constraint on plain fields itself ("... with this Chapter and
    Member already exists."); a check, or a unique constraint with a condition, it cannot."""
    if isinstance(constraint, models.UniqueConstraint):
        return constraint.condition is not None or bool(constraint.expressions)
    return True


def test_every_constraint_a_form_can_break_has_plain_words_and_a_field():
    default = models.BaseConstraint.default_violation_error_message
    unworded = []
    for model in models_behind_forms():
        for constraint in model._meta.constraints:
            if not needs_words(constraint):
                continue
            if constraint.violation_error_message == default:
                unworded.append(f"{model.__name__}.{constraint.name}")
            elif not (issubclass(model, ConstraintsOnFields)
                      and constraint.violation_error_code in model.CONSTRAINT_FIELDS):
                unworded.append(f"{model.__name__}.{constraint.name} (no field)")
    assert unworded == []


def errors_of(instance: models.Model) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.validate_constraints()
    return raised.value.message_dict


def test_a_poll_closing_before_it_opens(organization):
    at = datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC)
    poll = Poll(organization=organization, title="x", kind="single", level="organization",
                opens_at=at, closes_at=at)
    assert errors_of(poll) == {"closes_at": ["The poll must close after it opens."]}


def test_a_chapter_given_to_a_poll_of_everyone(organization, springfield):
    at = datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC)
    poll = Poll(organization=organization, title="x", kind="single", level="organization",
                chapter=springfield, opens_at=at, closes_at=at + datetime.timedelta(days=1))
    assert errors_of(poll) == {"chapter": [
        "Choose the chapter for a chapter poll, and no chapter for any other."]}


def test_a_second_open_membership_of_the_same_chapter(springfield, bob):
    twice = ChapterMembership(chapter=springfield, member=bob,
                              joined_on=datetime.date(2013, 1, 1))
    assert errors_of(twice) == {"member": ["This member already belongs to this chapter."]}


def test_a_membership_ending_before_it_began_in_german(springfield, olivia):
    early = ChapterMembership(chapter=springfield, member=olivia,
                              joined_on=datetime.date(2013, 1, 1),
                              left_on=datetime.date(2012, 1, 1))
    assert errors_of(early) == {"left_on": ["A member cannot leave before joining."]}
    with translation.override("de"):
        german = errors_of(early)["left_on"][0]
    assert german != "A member cannot leave before joining."  # the catalogue's sentence


def test_a_second_pending_invitation(springfield, alice, olivia):
    Invitation.objects.create(chapter=springfield, member=olivia, invited_by=alice,
                              expires_on=datetime.date(2014, 3, 1))
    again = Invitation(chapter=springfield, member=olivia, invited_by=alice,
                       expires_on=datetime.date(2014, 3, 1))
    assert errors_of(again) == {"member": [
        "This member already has an invitation to this chapter waiting for an answer."]}


def test_a_call_for_everyone_that_names_a_region_is_told_beside_the_region():
    form = CallForm(data={"title": "Everyone", "scope": "organization", "continent": "EU",
                          "occurrences": "1", "duration_minutes": "60"})
    assert not form.is_valid()
    assert form.errors == {"continent": [
        "Choose a region for a regional call, and none for a call for the whole "
        "organization."]}


def test_a_resource_without_file_or_link_is_told_once(client, alice):
    alice.is_resource_editor = True
    alice.save(update_fields=["is_resource_editor"])
    client.force_login(alice)
    response = client.post(reverse("resource_add"), {
        "title": "Nothing", "kind": "flyer", "language": "en"})
    assert response.text.count("Upload a file or give a link.") == 1
    assert "Constraint" not in response.text
    assert response.context["form"].errors == {NON_FIELD_ERRORS: [
        "Upload a file or give a link."]}


def test_a_membership_broken_in_a_model_form_reads_in_words(springfield, bob):
    """As in the admin's form for memberships."""
    form_class = modelform_factory(ChapterMembership, fields=["chapter", "member", "joined_on",
                                                              "left_on"])
    form = form_class(data={"chapter": springfield.pk, "member": bob.pk,
                            "joined_on": "2013-01-01"})
    assert not form.is_valid()
    assert form.errors == {"member": ["This member already belongs to this chapter."]}

"""Asking each other for help: needs, offers, who sees what."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from chapterhouse.context import context_for
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.helpboard.services import need_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(alice, springfield):
    return need_post(context_for(alice), chapter=springfield,
                     title="Someone who has run a first meeting",
                     details="We meet on the 2nd Tuesday.", language="en")


def test_the_board_is_for_members_only(client, need):
    response = client.get(reverse("helpboard"))
    assert response.status_code == 302


def test_a_need_takes_its_region_from_the_chapter(need):
    assert need.region == "NA"


def test_the_board_filters_by_region_and_language(client, need, charlie):
    turkish = need_post(context_for(charlie), title="Translate our flyer into Turkish", details="",
                        language="tr")
    client.force_login(charlie)
    europe = client.get(reverse("helpboard"), {"region": "EU"}).text
    assert f'id="need-{turkish.pk}"' in europe
    assert f'id="need-{need.pk}"' not in europe
    english = client.get(reverse("helpboard"), {"language": "en"}).text
    assert f'id="need-{need.pk}"' in english
    assert f'id="need-{turkish.pk}"' not in english


def test_only_a_coordinator_can_ask_for_a_chapter(client, bob, springfield):
    client.force_login(bob)
    assert "chapter" not in client.get(reverse("need_create")).context["form"].fields
    client.post(reverse("need_create"), {
        "title": "Chairs", "details": "", "language": "en", "chapter": springfield.pk})
    assert Need.objects.get().chapter is None
    with pytest.raises(ValidationError, match="Only a coordinator can ask on behalf"):
        need_post(context_for(bob), chapter=springfield, title="Tables", details="", language="en")
    assert Need.objects.count() == 1


def test_an_offer_reaches_the_asker_by_email_in_their_language(
        client, need, charlie, alice, django_capture_on_commit_callbacks):
    alice.languages = ["es"]
    alice.save(update_fields=["languages"])
    client.force_login(charlie)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("need_detail", args=[need.pk]), {"message": "I ran three."})
    assert Offer.objects.get().member == charlie
    assert mail.outbox[0].to == [alice.email]
    assert "I ran three." in mail.outbox[0].body
    with translation.override("es"):
        assert mail.outbox[0].subject == _("%(name)s offers help: %(title)s") % {
            "name": "Charlie", "title": need.title}
    assert mail.outbox[0].subject.startswith("Charlie")
    assert "offers help" not in \
        mail.outbox[0].subject
    assert f"{settings.SITE_URL}/help/{need.pk}/" in mail.outbox[0].body


def test_offers_are_seen_by_the_asker_and_coordinators_not_by_others(client, need, charlie,
                                                                     bob, alice):
    Offer.objects.create(need=need, member=charlie, message="Call me on Tuesdays")
    client.force_login(bob)
    assert "Call me on Tuesdays" not in client.get(reverse("need_detail", args=[need.pk])).text
    client.force_login(alice)
    assert "Call me on Tuesdays" in client.get(reverse("need_detail", args=[need.pk])).text


def test_offering_twice_or_on_a_closed_need_is_refused(client, need, charlie, alice, bob):
    client.force_login(charlie)
    client.post(reverse("need_detail", args=[need.pk]), {"message": "Me!"})
    response = client.post(reverse("need_detail", args=[need.pk]), {"message": "Me again"})
    assert Offer.objects.count() == 1
    assert response.status_code == 200
    client.force_login(alice)
    client.post(reverse("need_close", args=[need.pk]))
    need.refresh_from_db()
    assert need.closed_at is not None
    client.force_login(bob)
    response = client.post(reverse("need_detail", args=[need.pk]), {"message": "Too late?"})
    assert "This need was closed" in response.text
    assert Offer.objects.count() == 1


def test_only_the_asker_can_close_a_need(client, need, charlie):
    client.force_login(charlie)
    assert client.post(reverse("need_close", args=[need.pk])).status_code == 404
    need.refresh_from_db()
    assert need.closed_at is None


def test_names_with_html_are_shown_as_text(client, alice, charlie):
    need_post(context_for(alice), title="<script>alert(1)</script>", details="", language="en")
    client.force_login(charlie)
    html = client.get(reverse("helpboard")).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html

"""Joining: sign up, confirm the email, log in; bad input is refused and changes nothing."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from chapterhouse.members import tokens
from chapterhouse.members.language import member_language
from chapterhouse.members.models import Member
from tests.conftest import PASSWORD, make_member

pytestmark = pytest.mark.django_db
SAO_PAULO = 3448439


def form(**overrides):
    data = {"display_name": "Ana", "email": "ana@example.org", "password1": PASSWORD,
            "password2": PASSWORD, "city": "Sao Paulo", "place": "",
            "languages": ["pt-br", "en"], "gender": "woman", "willing_to_meet": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def sign_up(client, django_capture_on_commit_callbacks, follow=False, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("member_signup"), form(**overrides), follow=follow)



def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/members/confirm/\S+/", message.body).group(0)


@pytest.mark.argon2
def test_a_visitor_joins_with_city_languages_gender_and_willingness(
        client, organization, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("member_signup_done")
    ana = Member.objects.get(email="ana@example.org")
    assert ana.place.name == "São Paulo"
    assert ana.place.timezone == "America/Sao_Paulo"
    assert ana.languages == ["en", "pt-br"]  # in the site's order
    assert ana.gender == "woman"
    assert ana.willing_to_meet
    assert ana.password.startswith("argon2")
    assert not ana.email_confirmed
    assert ana.joined_on == organization.today
    assert "ana@example.org" in client.get(response.url).text


def test_the_confirmation_email_is_plain_text_with_a_link(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", None)
    assert "/members/confirm/" in message.body
    assert "Ana" in message.body


def test_an_unconfirmed_member_cannot_log_in_and_is_told_to_confirm(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("login"),
                               {"username": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "not confirmed yet" in response.text
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh link


def test_a_wrong_password_on_an_unconfirmed_account_reveals_nothing(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    response = client.post(reverse("login"),
                           {"username": "ana@example.org", "password": "wrong"})
    assert "not confirmed" not in response.text
    assert "correct" in response.text  # Django's usual "enter a correct email and password"


def test_following_the_link_confirms_and_then_login_works(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0])
    assert "Confirm my email" in client.get(link).text
    assert not Member.objects.get().email_confirmed  # opening the link alone changes nothing
    response = client.post(link)
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert Member.objects.get().email_confirmed
    response = client.post(reverse("login"),
                           {"username": "ANA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(Member.objects.get().pk)


def test_a_forged_link_is_refused_and_confirms_nothing(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0])
    response = client.post(link[:-3] + "xx/", follow=True)
    assert response.status_code == 400
    assert "not valid" in response.text
    assert not Member.objects.get().email_confirmed


def test_an_expired_link_is_refused_and_confirms_nothing(
        client, organization, django_capture_on_commit_callbacks, monkeypatch):
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0])
    monkeypatch.setattr(tokens, "CONFIRM_DAYS", -1)
    response = client.post(link)
    assert response.status_code == 400
    assert "expired" in response.text
    assert not Member.objects.get().email_confirmed


@pytest.mark.parametrize("typed", ["ANA@Example.org", "\uff41na@example.org", " ana@example.org ",
                                   "ana@example\u3002org", "ana@EXAMPLE\uff0eorg"])
def test_signing_up_with_a_taken_email_answers_as_for_a_new_one_and_emails_its_owner(
        client, organization, django_capture_on_commit_callbacks, typed):
    make_member("ana@example.org", "Ana", languages=["de"])
    response = sign_up(client, django_capture_on_commit_callbacks, email=typed,
                       display_name="Someone else")
    fresh = sign_up(Client(), django_capture_on_commit_callbacks, email="new@example.org")
    assert response.status_code == fresh.status_code == 302
    assert response.url == fresh.url == reverse("member_signup_done")
    assert Member.objects.filter(email="ana@example.org").get().display_name == "Ana"
    assert Member.objects.count() == 2
    notice, confirmation = mail.outbox
    assert notice.to == ["ana@example.org"]
    assert "/members/password-reset/" in notice.body
    assert "/login/" in notice.body
    assert "/members/confirm/" not in notice.body
    assert confirmation.to == ["new@example.org"]


def test_the_page_after_signing_up_reads_the_same_for_a_taken_and_a_new_email(
        client, organization, django_capture_on_commit_callbacks):
    make_member("ana@example.org", "Ana")
    taken = sign_up(client, django_capture_on_commit_callbacks, follow=True)
    other = Client()
    new = sign_up(other, django_capture_on_commit_callbacks, email="new@example.org",
                  follow=True)
    assert taken.status_code == new.status_code == 200
    def page(response, email):
        return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "",
                      response.text.replace(email, "EMAIL"))

    assert page(taken, "ana@example.org") == page(new, "new@example.org")
    assert "already" not in taken.text


def test_a_taken_email_costs_the_same_password_hashing_as_a_new_one(
        client, organization, django_capture_on_commit_callbacks, password_hashing):
    make_member("ana@example.org", "Ana")
    password_hashing.reset()
    sign_up(client, django_capture_on_commit_callbacks)
    taken = password_hashing.reset()
    sign_up(Client(), django_capture_on_commit_callbacks, email="new@example.org")
    assert taken == password_hashing.reset() == 1


@pytest.mark.parametrize("typed", [
    "ana\u200b@example.org",            # zero-width space
    "ana@exam\u200dple.org",            # zero-width joiner
    "\u202eana@example.org",            # right-to-left override
    "ana@ex\u0430mple.org",             # Cyrillic a in a Latin domain label
    "ana@\u0435xample.org",             # Cyrillic ie
    "\u0430na@example.org",             # Cyrillic a in a Latin local part
])
def test_look_alike_emails_are_refused_with_a_clear_message_and_create_nothing(
        client, organization, django_capture_on_commit_callbacks, typed):
    make_member("ana@example.org", "Ana")
    response = sign_up(client, django_capture_on_commit_callbacks, email=typed)
    assert response.status_code == 200
    assert ("invisible or text-direction characters" in response.text
            or "mixes letters from different alphabets" in response.text)
    assert Member.objects.count() == 1
    assert mail.outbox == []


def test_an_address_written_in_one_non_latin_script_is_accepted(
        client, organization, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks,
                       email="ana@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444")
    assert response.status_code == 302
    assert Member.objects.get().email == "ana@пример.рф"


def test_an_unknown_city_is_refused_and_nothing_is_created(
        client, organization, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, city="Xqzzyville")
    assert response.status_code == 200
    assert "could not find a city called “Xqzzyville”" in response.text
    assert not Member.objects.exists()
    assert mail.outbox == []


def test_an_ambiguous_city_asks_which_and_keeps_the_choice(
        client, organization, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, city="Springfield")
    assert "Several cities match" in response.text
    choices = re.findall(r'type="radio" name="place" value="(\d+)"', response.text)
    assert len(choices) > 1
    assert not Member.objects.exists()
    response = sign_up(client, django_capture_on_commit_callbacks, city="Springfield",
                       place=choices[1])
    assert response.status_code == 302
    assert Member.objects.get().place_id == int(choices[1])


def test_the_autocompletes_choice_is_used_when_it_matches_the_text(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, city="München", place="2867714")
    assert Member.objects.get().place.name == "Munich"


def test_a_stale_choice_that_no_longer_matches_the_text_is_ignored(
        client, organization, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, city="São Paulo", place="2867714")
    assert Member.objects.get().place_id == SAO_PAULO


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "<b>Ana</b>", "Ana\x07"])
def test_html_in_a_name_is_refused(client, organization, django_capture_on_commit_callbacks,
                                   name):
    response = sign_up(client, django_capture_on_commit_callbacks, display_name=name)
    assert response.status_code == 200
    assert "cannot contain" in response.text
    assert "<script>alert" not in response.text
    assert not Member.objects.exists()


def test_gender_is_optional_and_the_page_says_how_it_is_used(
        client, organization, django_capture_on_commit_callbacks):
    page = client.get(reverse("member_signup")).text
    assert "used only to count women at meetings" in page
    assert "Prefer not to say" in page
    sign_up(client, django_capture_on_commit_callbacks, gender="", willing_to_meet=None)
    ana = Member.objects.get()
    assert ana.gender == ""
    assert not ana.willing_to_meet


def test_a_weak_or_mistyped_password_is_refused(client, organization,
                                                django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, password1="password",
                       password2="password")
    assert "too common" in response.text
    response = sign_up(client, django_capture_on_commit_callbacks, password2="something else")
    assert "passwords differ" in response.text
    assert not Member.objects.exists()


def test_every_field_of_the_form_has_a_label(client, organization):
    page = client.get(reverse("member_signup")).text
    inputs = re.findall(r'<(?:input|select|textarea)\b[^>]*>', page)
    ids = [re.search(r'id="([^"]+)"', tag).group(1) for tag in inputs
           if 'type="hidden"' not in tag and 'type="submit"' not in tag]
    assert len(ids) > 15
    for field_id in ids:
        assert f'for="{field_id}"' in page, field_id


def test_emails_go_in_the_members_first_site_language():
    assert member_language(Member(languages=["nl", "de", "en"])) == "de"
    assert member_language(Member(languages=["pt-br"])) == "pt-br"
    assert member_language(Member(languages=[])) == "en"


def test_a_logged_in_member_is_sent_to_their_profile(client, olivia):
    client.force_login(olivia)
    assert client.get(reverse("member_signup")).url == reverse("member_profile")

"""Staff need a second factor (an authenticator app, or a backup code) before any staff power
works: a stolen staff password alone opens neither the admin nor the planner nor staff pages."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["admin:index", "planner", "goal_proposal_new"]


@pytest.fixture
def staff(organization):
    return make_member("staff@example.org", "Sam", is_staff=True, is_superuser=True)


@pytest.fixture
def authenticator(staff):
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def log_in(client, email="staff@example.org", next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": email, "password": PASSWORD, "next": next_url or ""})


def verify(client, typed, next_url=""):
    return client.post(reverse("staff_verify"), {"code": typed, "next": next_url})


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_with_only_a_password_reach_no_staff_page(client, staff, authenticator, page):
    log_in(client)
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("staff_verify") + "?next=")


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_with_a_right_code_reach_staff_pages(client, staff, authenticator, page):
    log_in(client)
    response = verify(client, code(authenticator), next_url=reverse(page))
    assert response.status_code == 302
    assert response.url == reverse(page)
    assert client.get(reverse(page)).status_code == 200


def test_logging_in_sends_staff_to_the_code_and_then_where_they_were_going(
        client, staff, authenticator):
    response = client.get(reverse("admin:index"), follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url.startswith(reverse("login"))
    response = client.post(login_url, {"username": "staff@example.org", "password": PASSWORD,
                                       "next": reverse("admin:index")}, follow=True)
    assert "Confirm it is you" in response.text
    next_url = re.search(r'name="next" value="([^"]+)"', response.text).group(1)
    assert next_url == reverse("admin:index")
    response = verify(client, code(authenticator), next_url)
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused(client, staff, authenticator):
    log_in(client)
    response = verify(client, "000000" if code(authenticator) != "000000" else "111111")
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get(reverse("admin:index")).status_code == 302


def test_after_five_wrong_codes_even_the_right_one_is_refused_with_429(
        client, staff, authenticator):
    log_in(client)
    wrong = "000000" if code(authenticator) != "000000" else "111111"
    for _attempt in range(5):
        assert verify(client, wrong).status_code == 200
    response = verify(client, code(authenticator))
    assert response.status_code == 429
    assert "Too many wrong codes" in response.text
    assert client.get(reverse("planner")).status_code == 302


def test_a_backup_code_works_once(client, staff, authenticator):
    backup = StaticDevice.objects.create(user=staff, name="backup codes")
    StaticToken.objects.create(device=backup, token="abcd1234")
    log_in(client)
    assert verify(client, "abcd1234").status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))
    log_in(client)
    assert "That code is not right" in verify(client, "abcd1234").text


def test_staff_without_an_authenticator_set_one_up_and_get_backup_codes(client, staff):
    log_in(client)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("staff_enrol"))
    assert '<svg' in response.text
    assert 'class="segno"' in response.text
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(reverse("staff_enrol"), {"code": code(device),
                                                    "next": reverse("admin:index")})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.text)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))
    log_in(client)
    assert verify(client, codes[0]).status_code == 302


def test_setting_up_needs_the_right_code_too(client, staff):
    log_in(client)
    client.get(reverse("staff_enrol"))
    response = client.post(reverse("staff_enrol"), {"code": "12345"})
    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_with_an_authenticator_cannot_set_up_another_with_only_a_password(
        client, staff, authenticator):
    log_in(client)
    response = client.get(reverse("staff_enrol"))
    assert response.url.startswith(reverse("staff_verify"))
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_admin_itself_refuses_an_unverified_staff_session(client, staff, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE
                           if m != "chapterhouse.members.middleware.StaffSecondFactor"]
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302
    client_for(client, staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_next_address_cannot_lead_off_the_site(client, staff, authenticator):
    log_in(client)
    response = verify(client, code(authenticator), next_url="https://evil.example/")
    assert response.url == reverse("dashboard")


def test_members_who_are_not_staff_need_no_second_factor(client, bob):
    log_in(client, email="bob@example.org")
    assert client.get(reverse("member_profile")).status_code == 200
    assert client.get(reverse("staff_enrol")).status_code == 404

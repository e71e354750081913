"""Journey 1 on a phone-width screen: join with the city autocomplete, confirm the email, log
in, edit the profile, log out, and ask for a password reset."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from chapterhouse.members.models import Member
from tests.browser.conftest import fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and private passphrase"
BROOKLYN = 5110302


def test_a_visitor_joins_on_a_phone(demo_site, phone, screenshot):
    mail.outbox.clear()
    page = phone
    page.goto(demo_site + "/members/login/")
    page.get_by_role("link", name="Join").last.click()
    page.get_by_label("Your name, as other members see it").fill("Dana <Test> & Co")
    page.get_by_label("Email").fill("Dana@Example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("City").fill("Brooklyn, United States")
    # The autocomplete fetched the suggestions and recognised the label: the city is chosen.
    expect(page.locator("#id_place")).to_have_value(str(BROOKLYN))  # no eval: the CSP forbids it
    assert page.locator("#city-options option").first.get_attribute("value") == \
        "Brooklyn, United States"
    page.get_by_label("English").check()
    page.get_by_label("Spanish").check()
    page.get_by_label("Woman").check()
    page.get_by_label("I am willing to meet other members in person").check()
    assert "used only to count women at meetings" in page.locator("#gender-statement").inner_text()
    assert fits_the_screen(page)
    screenshot(page, "join-form-phone")
    page.get_by_role("button", name="Join").click()
    # A name with markup is refused, and shown back as text.
    assert "cannot contain" in page.locator(".errors").first.inner_text()
    page.get_by_label("Your name, as other members see it").fill("Dana & Co")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert "dana@example.org" in page.locator("main").inner_text()
    screenshot(page, "join-check-email")

    # Logging in before confirming is refused with a clear message.
    page.goto(demo_site + "/members/login/")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert "not confirmed yet" in page.locator("[role=alert]").inner_text()

    link = re.search(r"http://\S+/members/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm my email").click()
    assert "Your email is confirmed" in page.locator(".messages").inner_text()
    page.get_by_label("Email").fill("DANA@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # keyboard only
    page.goto(demo_site + "/members/profile/")
    assert page.get_by_label("City").input_value() == "Brooklyn, United States"
    assert page.get_by_label("Spanish").is_checked()
    assert fits_the_screen(page)
    screenshot(page, "profile-phone")

    # Without JavaScript's help the server asks which Springfield.
    page.evaluate("document.getElementById('id_place').value = ''")
    page.get_by_label("City").fill("Springfield")
    page.evaluate("document.getElementById('id_place').value = ''")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "Several cities match" in page.locator("main").inner_text()
    page.locator("fieldset.choices input[type=radio]").first.check()
    page.get_by_role("button", name="Save", exact=True).click()
    assert "Your profile is saved" in page.locator(".messages").inner_text()
    assert Member.objects.get(email="dana@example.org").place.name == "Springfield"

    page.get_by_text("Menu").click()  # on a phone the header's links are folded in a menu
    page.get_by_role("button", name=re.compile("Log out")).click()
    page.goto(demo_site + "/members/password-reset/")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_role("button", name="Send the link").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert "/members/password-reset/" in mail.outbox[-1].body
    screenshot(page, "password-reset-sent")

"""Issue 13's flows carried out in a browser, on the demo and its clock: New York City split
into its five boroughs (proposal, vote, confirmation, settling); the Boston network affiliated
(contacted to an affiliated chapter whose invited people accept, its contact its first
coordinator); a conversation in the inbox (a coordinator writes, the member replies).
The votes and the clock's moves go through the services, as in test_organizing_browser.py;
what a person does goes through the pages."""

import datetime

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COORDINATOR = "coordinator@demo.example.org"  # Jon D., NYC's coordinator and an organizer
PASSWORD = "chapterhouse-demo"
BOROUGHS = {"Brooklyn", "Queens", "Manhattan", "The Bronx", "Staten Island"}


def move_clock(day: datetime.date) -> None:
    from chapterhouse.organizations.models import Organization

    Organization.objects.update(figures_as_of=day)


def with_password(member):
    member.set_password(PASSWORD)
    member.save(update_fields=["password"])
    return member


def test_new_york_city_splits_into_its_five_boroughs(demo_site, page, screenshot):
    from chapterhouse.chapters.models import Chapter, Origin
    from chapterhouse.context import context_for
    from chapterhouse.decisions.electorate import eligible_voters
    from chapterhouse.decisions.services import ballot_cast, poll_close, poll_withdraw
    from chapterhouse.meetings.models import ChapterMonth
    from chapterhouse.members.models import Member
    from chapterhouse.organizations.models import Organization
    from chapterhouse.splits.models import Split, Status
    from chapterhouse.splits.services import splits_settle_due
    from chapterhouse.verdicts.selectors import chapter_qualifies

    site = demo_site
    nyc = Chapter.objects.get(name="New York City")
    organization = Organization.objects.current()
    rule, before = organization.rule, organization.today
    months = list(ChapterMonth.objects.filter(chapter=nyc).order_by("month").values_list())
    qualified = chapter_qualifies(nyc, rule=rule, on=before)
    coordinator = Member.objects.get(email=COORDINATOR)
    # The demo's own proposal is withdrawn so that this one is proposed on the page.
    shown = Split.objects.get(parent=nyc, status=Status.VOTING)
    poll_withdraw(context_for(coordinator), poll=shown.poll, reason="Proposed again.")

    log_in(page, site, COORDINATOR)
    page.goto(site + f"/splits/propose/{nyc.slug}/?from=plan")  # the planner's split
    assert {line.split(":")[0] for line in
            page.get_by_label("Parts").input_value().splitlines()} == BOROUGHS
    page.get_by_role("button", name="Put it to the chapter").click()
    split = Split.objects.get(parent=nyc, status=Status.VOTING)

    # The members vote (services) and it passes at the close.
    poll = split.poll
    for voter in eligible_voters(poll).order_by("pk")[:8]:
        ballot_cast(context_for(voter), poll=poll, data={"stance": ["agree"]})
    assert poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    split.refresh_from_db()
    move_clock(split.passed_on + datetime.timedelta(days=1))

    # The coordinator confirms his part on the page, keeping its coordination.
    page.goto(site + f"/chapters/{nyc.slug}/")
    page.get_by_role("link", name="This chapter is splitting: confirm which part you join.").click()
    assert page.get_by_label("I will coordinate it").is_checked()
    page.get_by_role("button", name="Confirm").click()
    assert "Your answer was recorded." in page.locator(".messages").inner_text()
    screenshot(page, "split-confirm")

    # After the deadline the job places everyone else; five chapters split from NYC.
    move_clock(split.confirm_by + datetime.timedelta(days=1))
    assert splits_settle_due(context_for()) == 1
    boroughs = Chapter.objects.filter(parent=nyc)
    assert {c.name for c in boroughs} == BOROUGHS
    assert {c.origin for c in boroughs} == {Origin.SPLIT}
    mine = next(c for c in boroughs if c.coordinators.filter(pk=coordinator.pk).exists())
    page.goto(site + f"/splits/{split.pk}/")
    assert "Carried out" in page.locator("main").inner_text()
    assert page.locator("main .tag.bad", has_text="needs a coordinator").count() == 4
    screenshot(page, "split-done")
    page.get_by_role("link", name=mine.name).click()
    assert f"split from {nyc.name}" in page.locator("main").inner_text()
    # NYC's past stays as it was.
    assert list(ChapterMonth.objects.filter(chapter=nyc).order_by("month")
                .values_list()) == months
    assert chapter_qualifies(nyc, rule=rule, on=before) == qualified


def test_the_boston_network_is_affiliated_and_its_contact_coordinates(demo_site, page,
                                                                       browser, screenshot):
    from chapterhouse.chapters.models import Chapter, Origin
    from chapterhouse.context import context_for
    from chapterhouse.decisions.electorate import eligible_voters
    from chapterhouse.decisions.services import ballot_cast, poll_close
    from chapterhouse.members.models import Member
    from chapterhouse.organizing.models import SympatheticOrganization
    from chapterhouse.places.models import Place

    site = demo_site
    boston = SympatheticOrganization.objects.get(name="Boston Solidarity Network")
    boston.contact = "hanna@boston-solidarity.example.org"
    boston.save(update_fields=["contact"])
    hanna = with_password(Member.objects.create_user(
        boston.contact, None, display_name="Hanna", place=Place.objects.get(pk=boston.place_id),
        joined_on=datetime.date(2014, 1, 20)))

    log_in(page, site, COORDINATOR)
    page.goto(site + f"/organizing/affiliations/{boston.pk}/")
    assert "Contacted" in page.locator("main").inner_text()
    page.get_by_role("button", name="In conversation").click()
    page.get_by_role("button", name="Put it to the members").click()
    assert "Agreement proposed" in page.locator("main").inner_text()

    from chapterhouse.decisions.models import AffiliationProposal

    poll = AffiliationProposal.objects.get(organization=boston).poll
    for voter in eligible_voters(poll).order_by("pk")[:8]:
        ballot_cast(context_for(voter), poll=poll, data={"stance": ["agree"]})
    assert poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)

    page.reload()
    assert "Affiliated chapter" in page.locator("main").inner_text()
    assert page.locator("#needs-coordinator").is_visible()
    page.get_by_label("The organization's list (CSV: name,email)").set_input_files(files=[{
        "name": "boston.csv", "mimeType": "text/csv",
        "buffer": b"name,email\nHanna,hanna@boston-solidarity.example.org\n"
                  b"Newcomer,newcomer@example.org\n"}])
    page.get_by_role("button", name="Invite the list").click()
    screenshot(page, "affiliation-invited")
    chapter = Chapter.objects.get(affiliated_from=boston.name)
    assert chapter.origin == Origin.AFFILIATED
    assert not chapter.memberships.exists()  # nobody is a member before accepting

    # Hanna, the network's contact, accepts; then she is asked to coordinate, and accepts.
    hers = browser.new_context(viewport={"width": 390, "height": 844})
    phone = hers.new_page()
    log_in(phone, site, hanna.email)
    phone.goto(site + "/invitations/")
    phone.get_by_role("button", name="Join this chapter").click()
    phone.goto(site + f"/chapters/{chapter.slug}/")
    offer = phone.locator("#coordinator-offer")
    assert "asks you to be the first coordinator" in offer.inner_text()
    assert not chapter.coordinators.exists()
    screenshot(phone, "affiliation-contact-offer")
    offer.get_by_role("button", name="Accept").click()
    assert list(chapter.coordinators.all()) == [hanna]
    assert chapter.memberships.count() == 1  # the newcomer has not accepted: not a member
    hers.close()


def test_a_coordinator_writes_to_a_member_who_replies(demo_site, page, browser, screenshot):
    from chapterhouse.chapters.models import Chapter
    from chapterhouse.members.models import Member

    site = demo_site
    nyc = Chapter.objects.get(name="New York City")
    member = with_password(
        Member.objects.filter(chapter_memberships__chapter=nyc,
                              chapter_memberships__left_on__isnull=True, is_staff=False)
        .exclude(coordinated_chapters=nyc).order_by("pk").first())

    log_in(page, site, COORDINATOR)
    page.goto(site + f"/messages/write/{member.pk}/")
    page.get_by_label("Subject").fill("Welcome to New York City")
    page.get_by_label("Message").fill("Hello! Our next meeting is on the 12th. Will you come?")
    page.get_by_role("button", name="Send").click()

    theirs = browser.new_context(viewport={"width": 390, "height": 844})
    phone = theirs.new_page()
    log_in(phone, site, member.email)
    phone.goto(site + "/messages/")
    phone.get_by_role("link", name="Welcome to New York City").click()
    assert "Our next meeting is on the 12th" in phone.locator("main").inner_text()
    phone.get_by_label("Your reply").fill("Yes, I will be there. Thank you!")
    phone.get_by_role("button", name="Send").click()
    screenshot(phone, "inbox-reply")
    theirs.close()

    page.goto(site + "/messages/")
    page.get_by_role("link", name="Welcome to New York City").click()
    assert "Yes, I will be there." in page.locator("main").inner_text()
    screenshot(page, "inbox-conversation")

"""Cover pages: set up from the home page, refused input kept, ended after a question; covered cases open at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Role
from audit.models import Alert, AuditEvent
from cases import cover, services
from cases.models import Cover
from oversight.alerts import raise_outside_caseload_alerts
from tests.referrals.factories import make_referral


@pytest.fixture
def team(make_user):
    return {
        "away": make_user(Role.PREVENT_OFFICER),
        "colleague": make_user(Role.PREVENT_OFFICER),
        "other": make_user(Role.PREVENT_OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "partner": make_user(Role.REFERRER),
    }


def dates(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def form(colleague, start, end, **extra):
    return {"colleague": str(colleague.pk), **dates("starts_on", start), **dates("ends_on", end), **extra}


def covered(team, days=5):
    today = timezone.localdate()
    return cover.set_cover(
        team["away"],
        colleague=team["colleague"],
        starts_on=today,
        ends_on=today + datetime.timedelta(days),
        by=team["away"],
    )


def test_an_officer_finds_cover_from_the_home_page_and_sets_it_up(team, signed_in):
    officer = signed_in(user=team["away"])
    assert reverse("cases:covers") in officer.get(reverse("pages:home")).content.decode()
    page = officer.get(reverse("cases:cover_new")).content.decode()
    assert team["colleague"].full_name in page and f'value="{team["away"].pk}"' not in page

    today = timezone.localdate()
    response = officer.post(reverse("cases:cover_new"), form(team["colleague"], today, today, note="Leave"))

    assert response.status_code == 302 and response["Location"] == reverse("cases:covers")
    made = Cover.objects.get()
    assert (made.officer, made.colleague, made.note) == (team["away"], team["colleague"], "Leave")
    listing = officer.get(reverse("cases:covers")).content.decode()
    assert team["colleague"].full_name in listing and reverse("cases:cover_end", args=[made.pk]) in listing


def test_bad_dates_are_refused_by_the_field_with_what_was_typed_kept(team, signed_in):
    officer = signed_in(user=team["away"])
    today = timezone.localdate()
    data = form(team["colleague"], today + datetime.timedelta(3), today, note="Course in Leeds")
    response = officer.post(reverse("cases:cover_new"), data)
    body = response.content.decode()
    assert response.status_code == 200 and not Cover.objects.exists()
    assert "The end date must be the same as or after the start date" in body
    assert "govuk-error-summary" in body and "Course in Leeds" in body
    assert f'value="{(today + datetime.timedelta(3)).day}"' in body

    response = officer.post(reverse("cases:cover_new"), {**data, "colleague": "", **dates("ends_on", today)})
    assert "Select the colleague who will cover" in response.content.decode()


def test_an_overlap_is_refused_on_the_page(team, signed_in):
    covered(team)
    officer = signed_in(user=team["away"])
    today = timezone.localdate()
    response = officer.post(reverse("cases:cover_new"), form(team["other"], today, today))
    assert response.status_code == 200 and "Cover is already set from" in response.content.decode()
    assert Cover.objects.count() == 1


def test_a_supervisor_names_the_officer_who_is_away(team, signed_in):
    supervisor = signed_in(user=team["supervisor"])
    today = timezone.localdate()
    data = form(team["colleague"], today, today, officer=str(team["away"].pk))
    assert supervisor.post(reverse("cases:cover_new"), data).status_code == 302
    assert Cover.objects.get().created_by == team["supervisor"]
    response = supervisor.post(reverse("cases:cover_new"), {**data, "officer": str(team["partner"].pk)})
    assert response.status_code == 200 and "Select an officer from the list" in response.content.decode()


def test_ending_cover_asks_first_then_ends_it(team, signed_in):
    made = covered(team)
    colleague = signed_in(user=team["colleague"])
    url = reverse("cases:cover_end", args=[made.pk])
    page = colleague.get(url)
    assert page.status_code == 200 and "End this cover now?" in page.content.decode()
    assert Cover.objects.get().ended_at is None
    assert colleague.post(url).status_code == 302
    assert Cover.objects.get().ended_by == team["colleague"]
    assert colleague.get(url).status_code == 404  # ended: no longer listed


def test_someone_elses_cover_is_not_found_and_non_police_are_refused(team, signed_in):
    made = covered(team)
    url = reverse("cases:cover_end", args=[made.pk])
    assert signed_in(user=team["other"]).post(url).status_code == 404
    assert signed_in(user=team["partner"]).get(url).status_code == 403
    assert signed_in(user=team["partner"]).get(reverse("cases:cover_new")).status_code == 403
    assert Cover.objects.get().ended_at is None


def test_the_colleague_opens_and_works_a_covered_case_with_no_break_glass_and_the_read_names_the_cover(team, signed_in):
    case = services.assign(make_referral(team["partner"]).case, to=team["away"], by=team["supervisor"])
    colleague = signed_in(user=team["colleague"])
    assert colleague.get(reverse("cases:detail", args=[case.pk]))["Location"] == reverse("cases:reason", args=[case.pk])
    made = covered(team)

    response = colleague.get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(action="case.viewed", actor=team["colleague"], case_id=case.pk).get()
    assert viewed.details["cover_id"] == made.pk and viewed.details["as_cover_for"] == team["away"].pk
    assert "break_glass_id" not in viewed.details
    assert colleague.post(reverse("cases:add_note", args=[case.pk]), {"text": "Called the school."}).status_code == 302
    assert case.notes.filter(written_by=team["colleague"]).exists()
    page = colleague.get(reverse("cases:record_check", args=[case.pk]))
    assert page.status_code in (200, 302)
    assert not AuditEvent.objects.filter(action__startswith="break_glass", actor=team["colleague"]).exists()
    assert not AuditEvent.objects.filter(action="case.break_glass").exists()
    raise_outside_caseload_alerts()
    assert not Alert.objects.filter(user=team["colleague"]).exists()


def test_the_colleague_reads_a_covered_cases_referral_and_the_read_names_the_cover(team, signed_in):
    referral = make_referral(team["partner"])
    services.assign(referral.case, to=team["away"], by=team["supervisor"])
    colleague = signed_in(user=team["colleague"])
    url = reverse("referrals:detail", args=[referral.pk])
    assert colleague.get(url).status_code == 404  # outside their caseload: not there
    made = covered(team)
    assert colleague.get(url).status_code == 200
    viewed = AuditEvent.objects.get(action="referral.viewed", actor=team["colleague"])
    assert viewed.details["cover_id"] == made.pk and viewed.details["as_cover_for"] == team["away"].pk


def test_the_case_page_and_the_queue_say_the_officer_is_away_and_who_covers(team, signed_in):
    case = services.assign(make_referral(team["partner"]).case, to=team["away"], by=team["supervisor"])
    made = covered(team, days=9)
    words = f"Away until {made.ends_on:%-d %B %Y}, covered by {team['colleague'].full_name}"
    supervisor = signed_in(user=team["supervisor"])
    assert words in supervisor.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert words in supervisor.get(reverse("cases:queue")).content.decode()
    cover.end_cover(made, by=team["away"])
    assert "Away until" not in supervisor.get(reverse("cases:queue")).content.decode()


def test_the_queue_filters_by_team_with_its_query_count_unchanged(
    team, signed_in, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # a new team refreshes the cached filter lists
        north = accounts.create_team(by=None, name="North")
    accounts.set_team(team["away"], team=north, by=None)
    mine = services.assign(make_referral(team["partner"]).case, to=team["away"], by=team["supervisor"])
    theirs = services.assign(make_referral(team["partner"]).case, to=team["other"], by=team["supervisor"])
    covered(team)
    officer = signed_in(user=team["other"])
    url = reverse("cases:queue") + f"?team={north.pk}"
    officer.get(url)  # warms the cached officer, team and code lists
    with django_assert_max_num_queries(8):  # the queue's pinned count, its saved filters included
        body = officer.get(url).content.decode()
    assert mine.reference in body and theirs.reference not in body
    assert "North" in body


def test_an_administrator_puts_an_officer_in_a_team_and_it_is_audited(team, signed_in, make_user):
    admin = signed_in(Role.SYSTEM_ADMIN)
    assert admin.post(reverse("accounts:teams"), {"name": "North"}).status_code == 302
    from accounts.models import Team

    north = Team.objects.get(name="North")
    assert admin.post(reverse("accounts:teams"), {"name": "north"}).status_code == 200  # a duplicate, by the field
    officer = team["away"]
    data = {
        "full_name": officer.full_name,
        "email": officer.email,
        "organisation": str(officer.organisation_id),
        "roles": officer.role_names,
        "team": str(north.pk),
        "is_active": "on",
    }
    response = admin.post(reverse("accounts:user_detail", args=[officer.pk]), data)
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.team == north
    event = AuditEvent.objects.get(action="user.team_changed")
    assert event.details == {"team_before": None, "team_after": north.pk} and event.actor == admin.user

    partner = team["partner"]
    data = {**data, "full_name": partner.full_name, "email": partner.email, "roles": partner.role_names}
    data["organisation"] = str(partner.organisation_id)
    response = admin.post(reverse("accounts:user_detail", args=[partner.pk]), data)
    assert (
        response.status_code == 200
        and "Only Prevent officers and supervisors belong to a team" in response.content.decode()
    )

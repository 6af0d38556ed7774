"""The alerts dashboard and the review of one alert."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import Alert, AuditEvent
from oversight import services
from tests.oversight.helpers import TAKEOVER
from tests.referrals.factories import make_referral

# The dashboard and the review


def make_alert(user, rule=Alert.Rule.OUT_OF_HOURS, case_id=None, **fields):
    return Alert.objects.create(
        rule=rule,
        user=user,
        key=uuid.uuid4().hex,
        raised_at=timezone.now(),
        case_id=case_id,
        count=3,
        details={"minutes": 10},
        **fields,
    )


def test_the_dashboard_counts_alerts_by_rule_and_lists_those_to_review(signed_in, officer, make_user):
    supervisor = signed_in(Role.SUPERVISOR)
    case = make_referral(make_user(Role.REFERRER)).case
    make_alert(officer, Alert.Rule.BULK_VIEWING)
    make_alert(officer, Alert.Rule.NAME_MATCH, case_id=case.pk)
    make_alert(officer, reviewed_at=timezone.now(), reviewed_by=supervisor.user, review_note="Fine.")

    response = supervisor.get(reverse("audit:alerts"))

    assert response.status_code == 200
    counts = {count["rule"]: (count["unreviewed"], count["total"]) for count in response.context["counts"]}
    assert counts == {
        "outside_caseload": (0, 0),
        "bulk_viewing": (1, 1),
        "out_of_hours": (0, 1),
        "name_match": (1, 1),
        "dormant_account": (0, 0),
        "account_change_password": (0, 0),
    }
    rows = response.context["rows"]
    assert [row["alert"].rule for row in rows] == ["name_match", "bulk_viewing"]
    assert rows[0]["case_reference"] == case.reference
    assert "3 records opened within 10 minutes" in response.content.decode()


def test_viewing_the_dashboard_is_audited_with_the_ids_shown(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    shown = make_alert(officer)

    supervisor.get(reverse("audit:alerts"))

    event = AuditEvent.objects.get(action="alert.list_viewed")
    assert (event.actor, event.details["ids"], event.details["show"]) == (supervisor.user, [shown.pk], "unreviewed")


def test_the_dashboard_filters_by_rule_and_shows_reviewed_alerts_on_request(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    bulk = make_alert(officer, Alert.Rule.BULK_VIEWING)
    make_alert(officer, Alert.Rule.DORMANT_ACCOUNT)
    reviewed = make_alert(officer, reviewed_at=timezone.now(), reviewed_by=supervisor.user, review_note="Fine.")
    url = reverse("audit:alerts")

    by_rule = supervisor.get(url, {"rule": "bulk_viewing"})
    done = supervisor.get(url, {"show": "reviewed"})
    nonsense = supervisor.get(url, {"rule": "nonsense", "show": "x", "page": "abc"})

    assert [row["alert"] for row in by_rule.context["rows"]] == [bulk]
    assert [row["alert"] for row in done.context["rows"]] == [reviewed]
    assert "Reviewed by" in done.content.decode()
    assert nonsense.status_code == 200
    assert len(nonsense.context["rows"]) == 2


def test_the_alert_pages_are_never_cached_like_the_other_audit_screens(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(officer)
    for url in (reverse("audit:alerts"), reverse("audit:alert_review", args=[alert.pk]), reverse("audit:search")):
        response = supervisor.get(url)
        # never_cache's Expires (Cache-Control is "private, no-store" for every signed-in page).
        assert response.status_code == 200 and response.has_header("Expires"), url
        assert "no-store" in response["Cache-Control"]


def test_the_dashboard_runs_a_fixed_number_of_queries_however_many_alerts(
    signed_in, officer, make_user, django_assert_max_num_queries, settings
):
    settings.PAGE_SIZE = 10
    supervisor = signed_in(Role.SUPERVISOR)
    partner = make_user(Role.REFERRER)
    make_alert(officer, Alert.Rule.NAME_MATCH, case_id=make_referral(partner).case.pk)
    url = reverse("audit:alerts")
    supervisor.get(url)  # the session's first request does one-off work
    with django_assert_max_num_queries(10) as few:
        supervisor.get(url)
    for _ in range(15):
        make_alert(make_user(Role.PREVENT_OFFICER), Alert.Rule.NAME_MATCH, case_id=make_referral(partner).case.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = supervisor.get(url)
    assert len(response.context["rows"]) == 10
    assert response.context["page"].has_next()


def test_a_supervisor_reviews_an_alert_with_a_note_and_it_is_audited(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(officer, case_id=uuid.uuid4())
    url = reverse("audit:alert_review", args=[alert.pk])

    page = supervisor.get(url).content.decode()
    assert reverse("audit:case_history", args=[alert.case_id]) in page
    assert reverse("audit:user_activity", args=[officer.pk]) in page
    assert AuditEvent.objects.filter(action="alert.viewed", target_id=str(alert.pk), actor=supervisor.user).exists()
    response = supervisor.post(url, {"note": "Called the officer: was on call that night."})

    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.reviewed_by, alert.review_note) == (supervisor.user, "Called the officer: was on call that night.")
    event = AuditEvent.objects.get(action="alert.reviewed")
    assert (event.actor, event.target_type, event.target_id) == (supervisor.user, "audit.alert", str(alert.pk))
    assert event.case_id == alert.case_id
    assert event.details == {"rule": "out_of_hours", "about_user_id": officer.pk}
    assert "on call" not in str(event.details) + event.reason


def test_a_review_needs_a_note_and_keeps_what_was_typed(signed_in, officer):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(officer)
    url = reverse("audit:alert_review", args=[alert.pk])

    empty = supervisor.post(url, {"note": "   "})
    too_long = supervisor.post(url, {"note": "A careful note. " * 400})

    assert empty.status_code == too_long.status_code == 200
    assert "Enter a note about what you found" in empty.content.decode()
    assert "5,000 characters or fewer" in too_long.content.decode()
    assert "A careful note. A careful note." in too_long.content.decode()
    alert.refresh_from_db()
    assert alert.reviewed_at is None
    assert not AuditEvent.objects.filter(action="alert.reviewed").exists()


def test_a_supervisor_cannot_review_an_alert_about_themselves(signed_in):
    supervisor = signed_in(Role.SUPERVISOR)
    alert = make_alert(supervisor.user)
    url = reverse("audit:alert_review", args=[alert.pk])

    page = supervisor.get(url)
    response = supervisor.post(url, {"note": "Nothing to see here."})

    assert "another supervisor must review it" in page.content.decode()
    assert "Mark as reviewed" not in page.content.decode()
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.reviewed_at is None
    assert not AuditEvent.objects.filter(action="alert.reviewed").exists()


def test_the_supervisor_who_approved_an_account_change_cannot_review_its_alert(signed_in, officer, make_user):
    approver, admin = signed_in(Role.SUPERVISOR), make_user(Role.SYSTEM_ADMIN)
    alert = make_alert(officer, rule=TAKEOVER)
    alert.details = {"changes": ["user.email_changed"], "hours": 72, "changed_by_ids": [admin.pk, approver.user.pk]}
    alert.save(update_fields=["details"])
    url = reverse("audit:alert_review", args=[alert.pk])

    page = approver.get(url).content.decode()
    assert "This alert is about a change you made or approved: another supervisor must review it." in page
    assert admin.full_name in page and approver.user.full_name in page  # who changed the account, to look into
    assert "Password set within 72 hours of a new e-mail address" in page
    assert approver.post(url, {"note": "Fine."}).status_code == 403
    assert signed_in(Role.SUPERVISOR).post(url, {"note": "Checked with the officer."}).status_code == 302


def test_an_alert_is_reviewed_only_once(signed_in, officer, make_user):
    first, second = make_user(Role.SUPERVISOR), signed_in(Role.SUPERVISOR)
    alert = make_alert(officer)
    services.review_alert(alert, by=first, note="Fine.")

    response = second.post(reverse("audit:alert_review", args=[alert.pk]), {"note": "Also fine."})

    assert response.status_code == 200
    assert f"{first.full_name} already reviewed this alert" in response.content.decode()
    alert.refresh_from_db()
    assert (alert.reviewed_by, alert.review_note) == (first, "Fine.")


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.SYSTEM_ADMIN, Role.REFERRER])
def test_only_supervisors_see_or_review_alerts(signed_in, officer, role):
    client = signed_in(role)
    alert = make_alert(officer)

    assert client.get(reverse("audit:alerts")).status_code == 403
    assert client.post(reverse("audit:alert_review", args=[alert.pk]), {"note": "x"}).status_code == 403
    alert.refresh_from_db()
    assert alert.reviewed_at is None


def test_reviewing_an_alert_that_does_not_exist_is_not_found(signed_in):
    assert signed_in(Role.SUPERVISOR).get(reverse("audit:alert_review", args=[999999])).status_code == 404

"""Per-user rate limits: advice messages, person search, audit search and exports answer 429 past their limit."""

import logging
import re

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from accounts import limits
from accounts.models import Role
from audit.models import AuditEvent
from notifications.models import Email, Notification
from referrals import advice
from referrals.models import AdviceMessage
from tests.referrals.factories import make_referral

REPLY = "Talk to your safeguarding lead about Jordan today."


def refusals(user):
    return AuditEvent.objects.filter(action="access.rate_limited", actor=user)


def assert_refused(response, *, what: str):
    body = response.content.decode()
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "You have done this too many times for now" in body and what in body
    assert re.search(r"Try again after \d\d:\d\d \(in \d+ minutes?\)", body)
    assert "(error)" in body  # the page title says so too
    return body


@pytest.fixture
def conversation(signed_in):
    partner, officer = signed_in(Role.REFERRER), signed_in(Role.PREVENT_OFFICER)
    item = advice.ask_advice(by=partner.user, question="Worried about a pupil.")
    return {
        "partner": partner,
        "officer": officer,
        "item": item,
        "url": reverse("referrals:advice_detail", args=[item.pk]),
    }


def test_the_21st_advice_reply_within_an_hour_is_refused_what_was_typed_is_kept_and_nothing_is_sent(conversation):
    officer, url = conversation["officer"], conversation["url"]
    for number in range(20):
        assert officer.post(url, {"body": f"Reply {number}"}).status_code == 302
    messages, notices, emails = AdviceMessage.objects.count(), Notification.objects.count(), Email.objects.count()

    body = assert_refused(officer.post(url, {"body": REPLY}), what="Your message was not sent.")
    assert "You have sent 20 advice messages within an hour, the most allowed." in body
    assert f"{REPLY}</textarea>" in body  # kept in the form, to send later
    assert (AdviceMessage.objects.count(), Notification.objects.count(), Email.objects.count()) == (
        messages,
        notices,
        emails,
    )
    (refused,) = refusals(officer.user)
    assert refused.details == {"limit": "advice_messages", "rate": "20/h"}
    assert "Jordan" not in str(refused.details) + refused.reason and refused.target_id == ""


def test_one_users_limit_does_not_hold_back_another(conversation, signed_in, settings):
    settings.RATE_LIMIT_ADVICE_MESSAGES = "1/h"
    officer, url = conversation["officer"], conversation["url"]
    assert officer.post(url, {"body": "First."}).status_code == 302
    assert officer.post(url, {"body": "Second."}).status_code == 429
    colleague = signed_in(Role.PREVENT_OFFICER)
    assert colleague.post(url, {"body": "From a colleague."}).status_code == 302
    assert conversation["partner"].post(url, {"body": "Thank you."}).status_code == 302
    assert not refusals(colleague.user).exists() and not refusals(conversation["partner"].user).exists()


def test_a_form_sent_with_mistakes_is_not_counted(conversation, settings):
    settings.RATE_LIMIT_ADVICE_MESSAGES = "1/h"
    officer, url = conversation["officer"], conversation["url"]
    for _ in range(3):
        assert b"Enter your reply" in officer.post(url, {"body": ""}).content
    assert officer.post(url, {"body": "Now a real reply."}).status_code == 302


def test_new_advice_questions_count_towards_the_same_limit(signed_in, settings):
    settings.RATE_LIMIT_ADVICE_MESSAGES = "1/h"
    partner = signed_in(Role.REFERRER)
    url = reverse("referrals:advice_new")
    assert partner.post(url, {"question": "First worry."}).status_code == 302
    body = assert_refused(partner.post(url, {"question": "A second worry about Sam."}), what="was not sent")
    assert "A second worry about Sam.</textarea>" in body


def test_person_searches_past_the_limit_are_refused_and_the_terms_stay_in_the_form(signed_in, make_user, settings):
    settings.RATE_LIMIT_PERSON_SEARCH = "2/h"
    referral = make_referral(make_user(Role.REFERRER), surname="Quenneville")
    officer = signed_in(Role.PREVENT_OFFICER)
    url = reverse("cases:search")
    for _ in range(2):
        found = officer.post(url, {"name": "Alex Quenneville"})
        assert found.status_code == 200 and referral.reference in found.content.decode()
    body = assert_refused(officer.post(url, {"name": "Alex Quenneville"}), what="Your search was not run.")
    assert "You have made 2 person searches within an hour" in body
    assert 'value="Alex Quenneville"' in body and referral.reference not in body
    assert AuditEvent.objects.filter(action="person.searched", actor=officer.user).count() == 2
    assert refusals(officer.user).get().details == {"limit": "person_search", "rate": "2/h"}
    assert signed_in(Role.PREVENT_OFFICER).post(url, {"name": "Alex Quenneville"}).status_code == 200


def test_audit_searches_past_the_limit_are_refused_and_the_filters_are_kept(signed_in, settings):
    settings.RATE_LIMIT_AUDIT_SEARCH = "2/h"
    supervisor = signed_in(Role.SUPERVISOR)
    url = reverse("audit:search") + "?action=case.viewed"
    assert supervisor.get(url).status_code == 200
    assert supervisor.get(url).status_code == 200
    body = assert_refused(supervisor.get(url), what="Your search was not run.")
    assert "You have made 2 audit searches within an hour" in body
    assert re.search(r'<option value="case.viewed"\s+selected', body)
    assert AuditEvent.objects.filter(action="audit.searched", actor=supervisor.user).count() == 2
    assert signed_in(Role.SUPERVISOR).get(url).status_code == 200


def test_audit_exports_past_the_limit_are_refused_with_the_search_page_and_its_terms(signed_in, settings):
    settings.RATE_LIMIT_AUDIT_EXPORT = "1/h"
    supervisor = signed_in(Role.SUPERVISOR)
    url = reverse("audit:export_csv") + "?action=case.viewed"
    exported = supervisor.post(url, {"name": "Alex Quenneville"})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    b"".join(exported.streaming_content)
    refused = supervisor.post(reverse("audit:export_jsonl") + "?action=case.viewed", {"name": "Alex Quenneville"})
    body = assert_refused(refused, what="Nothing was exported.")
    assert "You have made 1 audit export within an hour" in body
    assert 'value="Alex Quenneville"' in body and "Search the audit trail" in body
    assert AuditEvent.objects.filter(action="audit.exported", actor=supervisor.user).count() == 1


def test_the_limits_are_the_documented_defaults():
    from django.conf import settings

    assert (
        settings.RATE_LIMIT_ADVICE_MESSAGES,
        settings.RATE_LIMIT_PERSON_SEARCH,
        settings.RATE_LIMIT_AUDIT_SEARCH,
        settings.RATE_LIMIT_AUDIT_EXPORT,
    ) == ("20/h", "60/h", "120/h", "10/h")


@pytest.mark.parametrize(("rate", "words"), [("20/h", "an hour"), ("5/10m", "10 minutes"), ("3/d", "a day")])
def test_a_rate_is_said_in_words(rate, words):
    assert limits._period(rate) == words


def test_a_rate_that_cannot_be_read_stops_the_service_starting(settings):
    settings.RATE_LIMIT_PERSON_SEARCH = "sixty an hour"
    with pytest.raises(SystemCheckError, match="RATE_LIMIT_PERSON_SEARCH"):
        call_command("check")


def test_a_cache_that_does_not_answer_lets_the_work_through(signed_in, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.RATELIMIT_USE_CACHE = "unreachable"
    settings.RATE_LIMIT_PERSON_SEARCH = "1/h"
    officer = signed_in(Role.PREVENT_OFFICER)
    with caplog.at_level(logging.WARNING, logger="accounts.limits"):
        for _ in range(3):
            assert officer.post(reverse("cases:search"), {"name": "Alex Example"}).status_code == 200
    assert "Rate limit person_search not checked" in caplog.text
    assert not refusals(officer.user).exists()

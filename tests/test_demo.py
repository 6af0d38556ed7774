"""The demo caseload: a working team's referrals at every stage, made through the services, loaded once."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AuditEvent
from cases.models import AgendaItem, Case, ProviderGrant
from front_door.models import PublicContact
from notifications.models import Notification
from pages import demo
from referrals.models import AdviceRequest, Referral, ReferralLink
from retention.models import LegalHold


@pytest.fixture
def loaded(db, capsys):
    with override_settings(DEMO_DATA_ALLOWED=True):
        call_command("load_demo", "--cases")
    return capsys.readouterr().out


def snapshot():
    return (
        Referral.objects.count(),
        Case.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        AdviceRequest.objects.count(),
        PublicContact.objects.count(),
    )


def test_the_caseload_has_every_stage_and_loading_it_again_changes_nothing(loaded, capsys):
    statuses = Counter(Case.objects.values_list("status", flat=True))
    for status in Case.Status.values:
        if status != Case.Status.MERGED:
            assert statuses[status], f"no demo case is {status}"
    assert 30 <= Referral.objects.count() <= 45
    assert Referral.objects.filter(status=Referral.Status.DRAFT).count() >= 2
    assert Case.objects.filter(status=Case.Status.NEW, assigned_to=None).exists()
    assert ReferralLink.objects.filter(status=ReferralLink.Status.SUGGESTED).exists(), "a repeat awaits a decision"
    today = timezone.localdate()
    open_work = [Case.Status.NEW, Case.Status.GATHERING, Case.Status.ASSESSMENT]
    assert Case.objects.filter(status__in=open_work, assessment_due__lt=today).exists(), "some are overdue"
    assert Case.objects.filter(status=Case.Status.CLOSED, review_due__lte=today).exists(), "reviews are due"
    assert AgendaItem.objects.exists() and ProviderGrant.objects.exists()
    assert Case.objects.exclude(restricted_at=None).count() == 1
    assert LegalHold.objects.count() == 1
    assert AdviceRequest.objects.count() >= 2
    assert PublicContact.objects.filter(status=PublicContact.Status.NEW).count() == len(demo.PUBLIC)
    organisations = set(Referral.objects.values_list("organisation__name", flat=True))
    assert organisations == {name for name, _sector, _email, _full in demo.PARTNERS}
    # Made through the services: the trail and the team's notices are real.
    assert (
        AuditEvent.objects.filter(action="referral.submitted").count()
        == Referral.objects.exclude(status=Referral.Status.DRAFT).count()
    )
    assert Notification.objects.filter(kind=Notification.Kind.REFERRAL_SUBMITTED).exists()
    assert "Demo caseload" in loaded

    before = snapshot()
    with override_settings(DEMO_DATA_ALLOWED=True):
        call_command("load_demo", "--cases")
    assert snapshot() == before
    assert "already there, nothing changed" in capsys.readouterr().out


def test_every_role_has_something_on_its_screens(loaded):
    """The second officer, supervisor and referrer exist, so handover can be tried; each role's lists are full."""
    for email in ("officer2@police.example", "supervisor2@police.example", "referrer2@riverside.example"):
        assert User.objects.filter(email=email).exists()
    officer = User.objects.get(email="officer@police.example")
    second = User.objects.get(email="officer2@police.example")
    assert Case.objects.filter(assigned_to=officer).exists() and Case.objects.filter(assigned_to=second).exists()
    provider = User.objects.get(email="provider@bridgeway.example")
    assert ProviderGrant.objects.filter(provider=provider).exists()
    panel = User.objects.get(email="panel@council.example")
    assert AgendaItem.objects.filter(meeting__members=panel).exists()
    assert Role.SUPPORT_PROVIDER in provider.role_names


def test_the_demo_banner_says_the_people_are_invented(db, client):
    with override_settings(DEMO_DATA_ALLOWED=True):
        page = client.get(reverse("pages:privacy")).content.decode()
    assert "every person, organisation and case here is invented" in page
    assert "invented" not in client.get(reverse("pages:privacy")).content.decode()


def test_the_demo_caseload_is_refused_where_demo_data_is_off(db):
    from django.core.management.base import CommandError

    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(CommandError):
        call_command("load_demo", "--cases")
    assert not Referral.objects.exists()

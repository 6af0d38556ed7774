"""After a change to how matching keys are made, every sent referral's keys are made again."""

import io

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from referrals.models import PersonKey
from rights.models import Rectification
from rights.services import rebuild_person_keys
from tests.referrals.factories import make_draft, make_referral


def _keys(referral):
    return set(referral.person_keys.values_list("kind", "value"))


def test_stale_keys_are_replaced_by_the_ones_made_today(make_user):
    partner = make_user(Role.REFERRER)
    referral = make_referral(partner, surname="Kowalski", forenames="Michał")
    made_today = _keys(referral)
    assert (PersonKey.Kind.NAME, "kowalski|michal") in made_today
    # As the keys were before transliteration: "ł" dropped.
    referral.person_keys.filter(kind=PersonKey.Kind.NAME).update(value="kowalski|micha")
    assert _keys(referral) != made_today

    assert rebuild_person_keys() == 1
    assert _keys(referral) == made_today
    event = AuditEvent.objects.get(action="person_keys.rebuilt")
    assert event.details == {"referrals": 1}


def test_drafts_get_no_keys_and_the_corrections_in_force_are_used(make_user):
    partner = make_user(Role.REFERRER)
    draft = make_draft(partner, surname="Draft", forenames="Only")
    referral = make_referral(partner, surname="Smith", forenames="John")
    Rectification.objects.create(
        case=referral.case,
        field="surname",
        value="Smyth",
        reason="Spelling",
        rectified_by=partner,
        rectified_at=timezone.now(),
    )
    out = io.StringIO()
    call_command("rebuild_person_keys", stdout=out)
    assert out.getvalue().strip() == "Rebuilt the matching keys of 1 referrals."
    assert not PersonKey.objects.filter(referral=draft).exists()
    assert (PersonKey.Kind.NAME, "john|smyth") in _keys(referral)
    assert (PersonKey.Kind.NAME, "john|smith") not in _keys(referral)

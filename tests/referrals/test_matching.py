from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import intake
from referrals import matching
from referrals.models import PersonKey, ReferralLink
from tests.referrals.factories import make_referral


def test_a_repeat_referral_about_the_same_person_is_linked_with_the_reasons(make_user):
    school, clinic = make_user(Role.REFERRER), make_user(Role.REFERRER)
    earlier = make_referral(school, surname="Khan", forenames="Mohammed Ali")
    later = make_referral(clinic, surname="Khan", forenames="Mohammed")
    (link,) = later.links.all()
    assert link.earlier == earlier and link.status == ReferralLink.Status.SUGGESTED
    assert link.reasons == ["Name", "Postcode", "Year of birth"]
    assert link.score == 90


def test_spelling_variants_and_transliterations_still_match(make_user):
    partner = make_user(Role.REFERRER)
    earlier = make_referral(partner, surname="Khan", forenames="Mohammed")
    later = make_referral(partner, surname="Kahn", forenames="Muhammad", birth_year=2011)
    (link,) = later.links.all()
    assert link.earlier == earlier and "Name that sounds alike" in link.reasons and "Postcode" in link.reasons


def test_names_in_either_order_and_aliases_match(make_user):
    partner = make_user(Role.REFERRER)
    earlier = make_referral(partner, surname="Li", forenames="Wei")
    swapped = make_referral(partner, surname="Wei", forenames="Li")
    alias = make_referral(partner, surname="Smith", forenames="John", aliases="Wei Li")
    assert swapped.links.get().earlier == earlier
    assert {link.earlier for link in alias.links.all()} >= {earlier}


def test_an_approximate_age_matches_a_year_of_birth(make_user):
    from django.utils import timezone

    partner = make_user(Role.REFERRER)
    age = timezone.localdate().year - 2010
    earlier = make_referral(partner, surname="Novak", forenames="Jan")
    later = make_referral(
        partner, surname="Novak", forenames="Jan", dob_known="age", birth_year=None, approximate_age=age
    )
    assert later.links.get().earlier == earlier


def test_a_different_person_with_the_same_name_elsewhere_is_not_suggested(make_user):
    from referrals import services
    from tests.referrals.factories import answers, make_draft

    partner = make_user(Role.REFERRER)
    make_referral(partner, surname="Smith", forenames="John", birth_year=1990)
    draft = make_draft(partner, surname="Smith", forenames="John", birth_year=2012)
    elsewhere = {**answers()["contact-details"], "postcode": "LS1 4AP"}
    draft = services.save_section(draft, by=partner, slug="contact-details", data=elsewhere)
    later = intake.submit_referral(draft, by=partner)
    assert (PersonKey.Kind.NAME, "john|smith") in matching.keys_for(later.answers)
    assert later.links.count() == 0  # a name alone is not enough


def test_normalising_removes_accents_case_and_punctuation():
    assert matching.normalise("Zoë O'Brien-Smith") == "zoeobriensmith"
    assert matching.normalise("  JOSÉ  ") == "jose"


def test_matching_runs_the_same_queries_however_many_referrals_there_are(make_user, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.referrals.factories import make_draft

    partner = make_user(Role.REFERRER)
    make_referral(partner, surname="Khan", forenames="Mohammed")
    draft = make_draft(partner, surname="Khan", forenames="Mohammed")
    with CaptureQueriesContext(connection) as few:
        intake.submit_referral(draft, by=partner)
    for number in range(12):
        make_referral(partner, surname="Khan", forenames="Mohammed")
        make_referral(partner, surname=f"Other{number}", forenames="Person")
    draft = make_draft(partner, surname="Khan", forenames="Mohammed")
    with django_assert_num_queries(len(few.captured_queries)):
        referral = intake.submit_referral(draft, by=partner)
    assert referral.links.count() == 14


def test_the_officer_sees_possible_repeats_and_confirms_or_rejects_each(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    first = make_referral(partner, surname="Khan", forenames="Mohammed")
    second = make_referral(partner, surname="Khan", forenames="Muhammad")
    third = make_referral(partner, surname="Khan", forenames="Mohammed")
    officer = signed_in(Role.PREVENT_OFFICER)
    page = officer.get(reverse("referrals:detail", args=[third.pk])).content.decode()
    assert first.reference in page and second.reference in page and "Why it may match" in page
    same = third.links.get(earlier=first)
    other = third.links.get(earlier=second)
    officer.post(reverse("referrals:decide_link", args=[same.pk]), {"same_person": "yes"})
    officer.post(reverse("referrals:decide_link", args=[other.pk]), {"same_person": "no"})
    same.refresh_from_db()
    other.refresh_from_db()
    assert same.status == ReferralLink.Status.CONFIRMED and same.decided_by == officer.user
    assert other.status == ReferralLink.Status.REJECTED
    page = officer.get(reverse("referrals:detail", args=[third.pk])).content.decode()
    assert "Same person" in page and second.reference not in page
    assert AuditEvent.objects.filter(action="referral.link_confirmed", target_id=str(third.pk)).exists()
    assert AuditEvent.objects.filter(action="referral.link_rejected", target_id=str(third.pk)).exists()


def test_the_list_counts_repeats_still_to_check(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    make_referral(partner, surname="Khan", forenames="Mohammed")
    make_referral(partner, surname="Khan", forenames="Mohammed")
    officer = signed_in(Role.SUPERVISOR)
    assert "1 to check" in officer.get(reverse("referrals:received")).content.decode()


def test_partners_never_see_possible_repeats(make_user, signed_in):
    from tests.conftest import sign_in_client

    partner = make_user(Role.REFERRER)
    earlier = make_referral(partner, surname="Khan", forenames="Mohammed")
    later = make_referral(partner, surname="Khan", forenames="Mohammed")
    from django.test import Client

    client = sign_in_client(Client(), partner)
    body = client.get(reverse("referrals:detail", args=[later.pk])).content.decode()
    assert earlier.reference not in body
    link = later.links.get()
    assert client.post(reverse("referrals:decide_link", args=[link.pk]), {"same_person": "yes"}).status_code == 403


def test_names_are_transliterated_before_they_are_normalised():
    assert matching.normalise("Michał") == "michal"
    assert matching.normalise("Zoë O'Brien-Smith") == "zoeobriensmith"
    assert matching.normalise("Михаил") == "mikhail"
    assert matching.normalise("Ψυχή") == "psychi"
    assert matching.normalise("محمد") != ""


def test_a_cyrillic_referral_is_linked_to_an_earlier_latin_one(make_user):
    school, clinic = make_user(Role.REFERRER), make_user(Role.REFERRER)
    earlier = make_referral(school, surname="Ivanov", forenames="Mikhail")
    later = make_referral(clinic, surname="Иванов", forenames="Михаил")
    assert later.links.get().earlier == earlier

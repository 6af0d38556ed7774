from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from tests.referrals.factories import make_referral


def search(client, **terms):
    return client.post(reverse("cases:search"), terms)


def test_names_match_other_spellings_in_either_order(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    khan = make_referral(partner, surname="Khan", forenames="Mohammed")
    make_referral(partner, surname="Smith", forenames="John")
    officer = signed_in(Role.PREVENT_OFFICER)
    for name in ("Mohammed Khan", "Muhammad Kahn", "Khan Mohammed"):
        rows = search(officer, name=name).context["results"]
        assert [row["referral"] for row in rows] == [khan], name


def test_every_criterion_given_must_match(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    older = make_referral(partner, surname="Khan", forenames="Mohammed", birth_year=1990)
    younger = make_referral(partner, surname="Khan", forenames="Mohammed", birth_year=2010)
    officer = signed_in(Role.SUPERVISOR)
    rows = search(officer, name="Mohammed Khan", birth_year=2010).context["results"]
    assert [row["referral"] for row in rows] == [younger]
    rows = search(officer, postcode="nr1 1aa").context["results"]
    assert {row["referral"] for row in rows} == {older, younger}
    rows = search(officer, reference=older.case.reference.lower()).context["results"]
    assert [row["referral"] for row in rows] == [older]


def test_searches_are_audited_without_the_terms(make_user, signed_in):
    make_referral(make_user(Role.REFERRER), surname="Distinctivename", forenames="Ann")
    officer = signed_in(Role.PREVENT_OFFICER)
    search(officer, name="Ann Distinctivename")
    event = AuditEvent.objects.get(action="person.searched")
    assert "Distinctivename" not in str(event.details) and len(event.details["terms_hash"]) == 32
    assert event.details["criteria"] == ["name"] and len(event.details["ids"]) == 1


def test_bad_searches_get_clear_messages(signed_in):
    officer = signed_in(Role.PREVENT_OFFICER)
    assert "Enter at least one thing to search for" in search(officer, name="").content.decode()
    assert "Enter a first and a last name" in search(officer, name="Khan").content.decode()
    impossible = {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2010"}
    page = search(officer, **impossible).content.decode()
    assert "Date of birth must be a real date, like 27 3 2009" in page
    assert 'name="date_of_birth_day" value="31"' in page


def test_the_search_runs_a_fixed_number_of_queries(make_user, signed_in, django_assert_max_num_queries):
    partner = make_user(Role.REFERRER)
    officer = signed_in(Role.PREVENT_OFFICER)
    make_referral(partner, surname="Khan", forenames="Mohammed")
    with django_assert_max_num_queries(8) as few:
        search(officer, name="Mohammed Khan", postcode="NR1 1AA")
    for _ in range(10):
        make_referral(partner, surname="Khan", forenames="Mohammed")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = search(officer, name="Mohammed Khan", postcode="NR1 1AA")
    assert len(response.context["results"]) == 11


def test_partners_cannot_search(signed_in):
    assert signed_in(Role.REFERRER).get(reverse("cases:search")).status_code == 403


def test_search_terms_never_travel_in_the_url(signed_in):
    officer = signed_in(Role.PREVENT_OFFICER)
    body = officer.get(reverse("cases:search")).content.decode()
    assert 'method="post"' in body.lower() and "csrfmiddlewaretoken" in body


def test_names_in_other_scripts_match_their_latin_spellings(make_user, signed_in):
    partner = make_user(Role.REFERRER)
    michal = make_referral(partner, surname="Kowalski", forenames="Michał")
    mikhail = make_referral(partner, surname="Иванов", forenames="Михаил")
    officer = signed_in(Role.PREVENT_OFFICER)
    assert [row["referral"] for row in search(officer, name="Michal Kowalski").context["results"]] == [michal]
    assert [row["referral"] for row in search(officer, name="Mikhail Ivanov").context["results"]] == [mikhail]
    assert [row["referral"] for row in search(officer, name="Михаил Иванов").context["results"]] == [mikhail]

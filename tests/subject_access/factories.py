"""One person across referrals, a merged repeat referral, notes, checks, documents, panel and support."""

import datetime

from accounts.models import Role
from cases import intake, services, support
from cases.models import Case, Check, Consent, Outcome
from referrals import services as referral_services
from referrals.models import ReferralLink
from subject_access import services as sar_services
from subject_access.models import SubjectAccessRequest
from tests.cases.support_factories import ANSWERS
from tests.referrals.factories import make_draft, make_referral, pdf

SURNAME, FORENAMES = "Quillfeather", "Oswin"
PERSON = {"surname": SURNAME, "forenames": FORENAMES}
NOTE = "Spoke to the school; the family are supportive."
CHECK_NOTE = "Known to counter-terrorism colleagues: live operation."
DOCUMENT = b"%PDF-1.4\n% a screenshot of a post\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _reload(case):
    return Case.objects.get(pk=case.pk)


def person_everywhere(make_user) -> dict:
    """Build the person's records; return them with the users who acted."""
    partner, officer = make_user(Role.REFERRER), make_user(Role.PREVENT_OFFICER)
    supervisor, provider = make_user(Role.SUPERVISOR), make_user(Role.SUPPORT_PROVIDER)
    panel_member = make_user(Role.PANEL_MEMBER)

    draft = make_draft(partner, **PERSON)
    (attachment,) = referral_services.add_attachments(draft, by=partner, files=[pdf("screenshot.pdf", DOCUMENT)])
    first = intake.submit_referral(draft, by=partner)
    case = services.assign(first.case, to=officer, by=supervisor)
    case = services.move(case, by=officer, action="start_gathering")
    services.record_check(
        case, by=officer, kind=Check.Kind.DECONFLICTION, result=Check.Result.LIVE_INVESTIGATION, note=CHECK_NOTE
    )
    services.add_note(_reload(case), by=officer, text=NOTE)
    # A repeat referral about the same person: confirmed, so its new case joins the first.
    second = make_referral(partner, **PERSON)
    link = ReferralLink.objects.get(referral=second, earlier=first)
    intake.decide_link(link, by=officer, same_person=True)
    case = services.move(_reload(case), by=officer, action="start_assessment")
    services.record_assessment(
        case, by=officer, answers=ANSWERS, rationale="Vulnerable to grooming.", expected_version=None
    )
    services.record_decision(
        _reload(case),
        by=officer,
        outcome=Outcome.CHANNEL,
        rationale="Needs multi-agency support.",
        expected_version=None,
    )
    services.sign_off_decision(_reload(case), by=supervisor, approve=True, expected_version=None)
    meeting = support.create_meeting(
        by=supervisor, meets_on=datetime.date(2026, 12, 1), title="December panel", members=[panel_member]
    )
    item = support.list_case(meeting, case=_reload(case), by=officer)
    support.record_panel_decision(item, by=officer, adopted=True)
    case = _reload(case)
    support.save_support_plan(
        case,
        by=officer,
        support="Weekly mentoring",
        provided_by="Youth mentor",
        how_and_when="Tuesdays after school",
        consent_sought_by="Officer",
        consent_method="Home visit",
    )
    support.record_consent(case, by=officer, state=Consent.State.GIVEN, given_by=Consent.GivenBy.PARENT, under_18=True)
    grant = support.grant_provider(_reload(case), by=officer, provider=provider, sections=["support_plan"])
    support.record_progress(_reload(case), by=provider, text="Attended the first session.")
    services.share_feedback(first, by=officer, text="Support is in place.")
    stranger = make_referral(partner, surname="Other", forenames="Person")
    return {
        "partner": partner,
        "officer": officer,
        "supervisor": supervisor,
        "provider": provider,
        "panel_member": panel_member,
        "first": first,
        "second": second,
        "stranger": stranger,
        "attachment": attachment,
        "case": _reload(case),
        "merged": second.case if second.case_id != case.pk else None,
        "grant": grant,
        "meeting": meeting,
    }


def confirmed_request(supervisor, records, received_on=None):
    """A request for the person, with both their referrals confirmed."""
    from cases.search import search, terms_hash

    terms = {"name": f"{FORENAMES} {SURNAME}"}
    found = list(search(terms).values_list("pk", flat=True))
    sar = sar_services.start_request(
        by=supervisor,
        received_on=received_on or datetime.date.today(),
        note="By letter; passport seen.",
        terms_hash=terms_hash(terms),
        found_referral_ids=found,
    )
    return sar_services.confirm_records(sar, by=supervisor, referral_ids=[records["first"].pk, records["second"].pk])


def matrix_request(data) -> SubjectAccessRequest:
    """A generated request about the matrix's referral, with one item withheld (for tests/test_access_matrix.py)."""
    if "sar" not in data:
        from accounts import services as account_services
        from accounts.models import Organisation

        police = account_services.create_organisation(
            by=None, name="Matrix police", kind=Organisation.Kind.POLICE_PREVENT, sector=Organisation.Sector.POLICE
        )
        supervisor = account_services.create_user(
            by=None,
            email=f"sar-{data['referral'].pk}@example.org",
            full_name="Matrix Supervisor",
            organisation=police,
            roles=[Role.SUPERVISOR],
            password="a long enough test passphrase",
        )
        sar = sar_services.start_request(
            by=supervisor,
            received_on=datetime.date.today(),
            note="",
            terms_hash="0" * 32,
            found_referral_ids=[data["referral"].pk],
        )
        sar = sar_services.confirm_records(sar, by=supervisor, referral_ids=[data["referral"].pk])
        sar_services.request_generation(sar, by=supervisor)
        sar = sar_services.run_generation(sar.pk)
        data["withholding"] = sar_services.withhold(
            sar, by=supervisor, item_key=f"referral-{data['referral'].pk}", field="", exemption="crime", note="x"
        )
        sar = sar_services.request_generation(sar, by=supervisor)
        data["sar"] = sar_services.run_generation(sar.pk)
    return data["sar"]

"""The case file: a tagged PDF of the case for a Channel pack, a hand-over or an inquiry, audited as a disclosure."""

from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from audit.models import AuditEvent
from cases import break_glass, selectors, services
from cases.models import CaseFileDisclosure
from rights import services as rights_services
from tests.cases.case_file_factories import (
    ASSESSMENT_RATIONALE,
    CHECK_NOTE,
    DECISION_RATIONALE,
    MEETING,
    PANEL_MINUTES,
    PANEL_SUMMARY,
    SIGN_OFF_NOTE,
    SUPPORT_PLAN,
    full_case,
)
from tests.conftest import sign_in_client
from tests.referrals.factories import make_referral

P = CaseFileDisclosure.Purpose
NOTE = "For DS Example, CTP North East, hand-over meeting on Friday."


@pytest.fixture
def officer(make_user):
    return make_user(Role.PREVENT_OFFICER)


def download(client, case, purpose=P.CT_HANDOVER, note=NOTE):
    return client.post(reverse("cases:case_file_pdf", kwargs={"pk": case.pk}), {"purpose": purpose, "note": note})


def pages_text(response) -> list[str]:
    """The text of each page, with whitespace folded (a footer may wrap across lines)."""
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def stamp(user, at) -> str:
    local = timezone.localtime(at)
    return f"Downloaded by {user.full_name} on {local:%-d %B %Y} at {local:%H:%M}"


def test_an_officer_downloads_the_police_case_file_marked_and_stamped_on_every_page(officer, make_user, client):
    case = full_case(make_user, officer=officer, notes=70)
    response = download(sign_in_client(client, officer), case)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="case-file-{case.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    pages = pages_text(response)
    assert len(pages) >= 2, "the chronology should run over more than one page"
    disclosure = CaseFileDisclosure.objects.get(case=case)
    for number, text in enumerate(pages, start=1):
        assert "OFFICIAL-SENSITIVE" in text, f"page {number} has no marking"
        assert stamp(officer, disclosure.downloaded_at) in text, f"page {number} does not say who downloaded it"
        assert f"Page {number} of {len(pages)}" in text
    text = " ".join(pages)
    assert f"Case file {case.reference}" in text and "Summary" in text and case.get_status_display() in text
    for police_only in (CHECK_NOTE, "Part of a live investigation", ASSESSMENT_RATIONALE, SIGN_OFF_NOTE, "Chronology"):
        assert police_only in text
    assert DECISION_RATIONALE in text and MEETING in text and SUPPORT_PLAN["support"] in text
    assert "Note 69." not in text, "case notes are not part of the case file"


def test_the_pdf_is_tagged_with_its_language_title_and_headings(officer, make_user, client):
    case = full_case(make_user, officer=officer)
    response = download(sign_in_client(client, officer), case)
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))

    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == f"Case file {case.reference}"

    def tags(element, found):
        element = element.get_object()
        if "/S" in element:
            found.add(str(element["/S"]))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                tags(kid, found)
        return found

    found = tags(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/TD"} <= found, found


def test_the_channel_panel_pack_leaves_out_what_only_the_police_see(officer, make_user, client):
    case = full_case(make_user, officer=officer)
    response = download(sign_in_client(client, officer), case, purpose=P.CHANNEL_PANEL)

    text = " ".join(pages_text(response))
    assert "OFFICIAL-SENSITIVE" in text and f"Case file {case.reference}" in text and "Channel panel pack" in text
    # The panel reads what its agenda shows: the summary written for it and its minutes, never the rationale.
    assert PANEL_SUMMARY in text and PANEL_MINUTES in text
    assert MEETING in text and SUPPORT_PLAN["support"] in text
    police_only_texts = (CHECK_NOTE, "live investigation", ASSESSMENT_RATIONALE, SIGN_OFF_NOTE, "Check recorded")
    for police_only in (*police_only_texts, DECISION_RATIONALE):
        assert police_only not in text, f"{police_only!r} is police only"
    assert "Police only" not in text


def test_a_download_is_audited_as_a_disclosure_with_its_purpose_and_the_note_stays_off_the_trail(
    officer, make_user, client
):
    case = full_case(make_user, officer=officer)
    response = download(sign_in_client(client, officer), case, purpose=P.CHANNEL_PANEL)
    assert response.status_code == 200

    disclosure = CaseFileDisclosure.objects.get(case=case)
    assert (disclosure.purpose, disclosure.note, disclosure.downloaded_by) == (P.CHANNEL_PANEL, NOTE, officer)
    request_id = response.wsgi_request.audit_context.request_id
    (event,) = AuditEvent.objects.filter(request_id=request_id, action="case.file_disclosed")
    assert event.actor == officer and event.case_id == case.pk
    assert event.details["purpose"] == "channel_panel" and event.details["disclosure_id"] == disclosure.pk
    assert event.details["version"] == "panel" and event.reason == "Channel panel pack"
    assert "DS Example" not in str(event.details) + event.reason
    assert case.events.filter(what="Case file downloaded: Channel panel pack").exists()


def test_the_form_page_is_audited_and_offers_the_purposes(officer, make_user, client):
    case = full_case(make_user, officer=officer)
    response = sign_in_client(client, officer).get(reverse("cases:case_file", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Channel panel pack" in page and "Hand-over to counter-terrorism policing" in page
    assert reverse("cases:case_file_pdf", kwargs={"pk": case.pk}) in page
    assert AuditEvent.objects.filter(action="case.viewed", case_id=case.pk, actor=officer).exists()
    assert not CaseFileDisclosure.objects.exists()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"note": "For the chair of the panel."}, "Select who the case file is for"),
        ({"purpose": "everyone", "note": "For the chair of the panel."}, "Select who the case file is for"),
        ({"purpose": "ct_handover", "note": "   "}, "Enter who will receive the case file and why"),
        ({"purpose": "ct_handover", "note": "For the chair. " + "x" * 1000}, "1000 characters or fewer"),
    ],
)
def test_bad_input_shows_the_form_again_with_what_was_typed_and_discloses_nothing(
    form, message, officer, make_user, client
):
    case = services.assign(make_referral(make_user(Role.REFERRER)).case, to=officer, by=officer)
    response = sign_in_client(client, officer).post(reverse("cases:case_file_pdf", kwargs={"pk": case.pk}), form)

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    if form["note"].strip():
        assert form["note"][:20] in page
    assert not CaseFileDisclosure.objects.exists()
    assert not AuditEvent.objects.filter(action="case.file_disclosed").exists()


def test_another_officers_case_is_refused_and_nothing_is_disclosed(officer, make_user, client):
    case = full_case(make_user)
    client = sign_in_client(client, officer)
    assert client.get(reverse("cases:case_file", kwargs={"pk": case.pk})).status_code == 403
    assert download(client, case).status_code == 403
    assert not CaseFileDisclosure.objects.exists()


def test_a_new_unassigned_case_is_refused_to_an_officer_it_is_not_theirs_yet(officer, make_user, client):
    case = make_referral(make_user(Role.REFERRER)).case
    assert download(sign_in_client(client, officer), case).status_code == 403


def test_a_break_glass_reader_may_read_the_case_but_not_hand_its_file_on(officer, make_user, client):
    case = full_case(make_user)
    break_glass.open_with_reason(case, by=officer, reason_code="covering", reason="Covering a colleague.")
    client = sign_in_client(client, officer)

    assert client.get(reverse("cases:detail", kwargs={"pk": case.pk})).status_code == 200
    assert (
        reverse("cases:case_file", kwargs={"pk": case.pk})
        not in client.get(reverse("cases:detail", kwargs={"pk": case.pk})).content.decode()
    )
    assert client.get(reverse("cases:case_file", kwargs={"pk": case.pk})).status_code == 403
    assert download(client, case).status_code == 403
    assert not CaseFileDisclosure.objects.exists()


def test_a_restricted_case_is_kept_but_not_used_so_not_even_a_supervisor_downloads_it(make_user, client):
    supervisor = make_user(Role.SUPERVISOR)
    case = full_case(make_user)
    rights_services.restrict_record(case, by=supervisor, reason="The person contests the record.")
    client = sign_in_client(client, supervisor)

    assert (
        reverse("cases:case_file", kwargs={"pk": case.pk})
        not in client.get(reverse("cases:detail", kwargs={"pk": case.pk})).content.decode()
    )
    assert download(client, case).status_code == 403


def test_the_case_page_links_to_the_case_file_for_its_officer_and_a_supervisor(officer, make_user, client):
    case = full_case(make_user, officer=officer)
    link = reverse("cases:case_file", kwargs={"pk": case.pk})
    for user in (officer, make_user(Role.SUPERVISOR)):
        page = sign_in_client(client, user).get(reverse("cases:detail", kwargs={"pk": case.pk})).content.decode()
        assert link in page and "Download case file" in page


@pytest.mark.parametrize("role", [Role.REFERRER, Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.SYSTEM_ADMIN])
def test_nobody_outside_the_police_team_gets_a_case_file(role, make_user, client):
    case = full_case(make_user)
    client = sign_in_client(client, make_user(role))
    assert download(client, case).status_code == 403
    assert client.get(reverse("cases:case_file", kwargs={"pk": case.pk})).status_code == 403
    assert not CaseFileDisclosure.objects.exists()


def test_an_unknown_case_is_not_found(officer, client):
    import uuid

    assert download(sign_in_client(client, officer), type("C", (), {"pk": uuid.uuid4()})).status_code == 404


def test_the_selector_gives_nothing_to_someone_who_may_not_download(officer, make_user):
    case = full_case(make_user)
    contents = selectors.case_file(officer, case, purpose=P.CT_HANDOVER)
    assert contents.panel and not (contents.events or contents.checks or contents.referrals or contents.decisions)
    assert contents.support_plan is None

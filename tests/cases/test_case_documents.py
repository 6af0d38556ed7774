"""Officers' own documents on a case: the referral attachments' checks, scan, storage and download rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import break_glass, documents, selectors, services
from cases.models import CaseDocument, CaseEvent, CaseFileDisclosure
from privacy import erasure
from referrals import attachments
from tests.conftest import sign_in_client
from tests.referrals.factories import PDF, make_referral, pdf, uploaded
from tests.referrals.test_attachments import FakeClamd, zipped

TITLE = "Letter from the school"


@pytest.fixture
def officer(make_user):
    return make_user(Role.PREVENT_OFFICER)


@pytest.fixture
def case(officer, make_user):
    """A case assigned to the officer (so another officer may not work it)."""
    return services.assign(make_referral(make_user(Role.REFERRER)).case, to=officer, by=officer)


def add(case, by, **options):
    return documents.add_document(case, by=by, upload=options.pop("upload", pdf()), title=TITLE, **options)


def test_an_officer_adds_a_document_to_their_case_stored_under_a_random_name_and_audited(case, officer):
    document = add(case, officer, description="Sent by the head teacher.")

    assert (document.case, document.title, document.uploaded_by) == (case, TITLE, officer)
    assert (document.content_type, document.size, document.scan) == ("application/pdf", len(PDF), "not_scanned")
    assert document.original_name == "notes.pdf" and document.stored_name != "notes.pdf"
    assert attachments.path_of(document.stored_name).read_bytes() == PDF
    event = AuditEvent.objects.get(action="case.document_added")
    assert (event.target_id, str(event.case_id), event.actor_id) == (str(document.pk), str(case.pk), officer.pk)
    assert TITLE not in str(event.details), "the trail keeps ids, never the title"
    assert CaseEvent.objects.filter(case=case, what="Document added").exists()


def test_a_file_of_a_type_we_do_not_accept_is_refused_by_its_content_whatever_its_name(case, officer):
    with pytest.raises(ValidationError) as refused:
        add(case, officer, upload=uploaded("letter.pdf", zipped()))
    assert "not a file type we accept" in str(refused.value.message_dict["file"])
    assert not CaseDocument.objects.exists()
    assert AuditEvent.objects.filter(action="case.document_refused", target_id=str(case.pk)).exists()


def test_a_configured_scanner_checks_the_document_and_a_threat_is_refused(case, officer, settings):
    clean = FakeClamd(b"OK")
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{clean.port}"
    assert add(case, officer).scan == CaseDocument.Scan.CLEAN and clean.received == PDF
    infected = FakeClamd(b"Eicar-Test-Signature FOUND")
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{infected.port}"
    with pytest.raises(ValidationError, match="found a threat"):
        add(case, officer)
    assert CaseDocument.objects.count() == 1


def test_only_those_who_may_work_the_case_add_documents(case, make_user):
    other_officer = make_user(Role.PREVENT_OFFICER)
    for outsider in (other_officer, make_user(Role.SUPPORT_PROVIDER), make_user(Role.PANEL_MEMBER)):
        with pytest.raises(PermissionDenied):
            add(case, outsider)
    # An officer reading under break-glass reads the case, never acts as its officer.
    break_glass.open_with_reason(case, by=other_officer, reason_code="covering", reason="Covering a colleague.")
    with pytest.raises(PermissionDenied):
        add(case, other_officer)
    assert add(case, make_user(Role.SUPERVISOR)).pk


def test_the_upload_page_adds_the_document_and_the_case_page_lists_it(case, officer, client):
    client = sign_in_client(client, officer)
    url = reverse("cases:add_document", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": pdf(), "title": TITLE, "description": ""})
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    page = client.get(reverse("cases:detail", kwargs={"pk": case.pk})).content.decode()
    assert TITLE in page and reverse("cases:download_document", kwargs={"pk": document.pk}) in page
    assert reverse("cases:remove_document", kwargs={"pk": case.pk, "document": document.pk}) in page


def test_a_refused_upload_says_why_by_the_field_and_keeps_the_title(case, officer, client):
    client = sign_in_client(client, officer)
    url = reverse("cases:add_document", kwargs={"pk": case.pk})
    response = client.post(url, {"file": uploaded("letter.pdf", zipped()), "title": TITLE})
    page = response.content.decode()
    assert response.status_code == 200 and "not a file type we accept" in page
    assert "govuk-error-summary" in page and f'value="{TITLE}"' in page
    assert client.post(url, {"title": TITLE}).status_code == 200  # no file: asked for one, never a 500
    assert not CaseDocument.objects.exists()


def test_a_download_is_an_attachment_never_shown_inline_and_is_audited_as_a_read(case, officer, client):
    document = add(case, officer)
    url = reverse("cases:download_document", kwargs={"pk": document.pk})
    assert str(document.pk) in url and "notes" not in url and TITLE not in url  # ids only in the URL

    response = sign_in_client(client, officer).get(url)

    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;") and "notes.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="case.document_downloaded")
    assert (event.target_id, str(event.case_id), event.actor_id) == (str(document.pk), str(case.pk), officer.pk)


def test_outside_the_caseload_a_document_is_not_found_and_providers_and_partners_are_refused(
    case, officer, make_user, client
):
    url = reverse("cases:download_document", kwargs={"pk": add(case, officer).pk})
    assert sign_in_client(client, make_user(Role.PREVENT_OFFICER)).get(url).status_code == 404
    for role in (Role.SUPPORT_PROVIDER, Role.PANEL_MEMBER, Role.REFERRER):
        assert sign_in_client(client, make_user(role)).get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="case.document_downloaded").exists()


def test_an_officer_reading_under_break_glass_may_download_and_the_event_names_the_grant(
    case, officer, make_user, client
):
    reader = make_user(Role.PREVENT_OFFICER)
    grant = break_glass.open_with_reason(case, by=reader, reason_code="covering", reason="Covering a colleague.")
    url = reverse("cases:download_document", kwargs={"pk": add(case, officer).pk})
    assert sign_in_client(client, reader).get(url).status_code == 200
    assert AuditEvent.objects.get(action="case.document_downloaded").details["break_glass_id"] == grant.pk


def test_a_document_on_disk_no_more_is_not_found_not_a_server_error(case, officer, client):
    document = add(case, officer)
    attachments.remove(document.stored_name)
    response = sign_in_client(client, officer).get(reverse("cases:download_document", kwargs={"pk": document.pk}))
    assert response.status_code == 404


def test_the_officer_who_added_a_document_removes_it_with_its_file(
    case, officer, client, django_capture_on_commit_callbacks
):
    document = add(case, officer)
    url = reverse("cases:remove_document", kwargs={"pk": case.pk, "document": document.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_in_client(client, officer).post(url).status_code == 302
    assert not CaseDocument.objects.exists() and not attachments.path_of(document.stored_name).exists()
    event = AuditEvent.objects.get(action="case.document_removed")
    assert (event.target_id, str(event.case_id)) == (str(document.pk), str(case.pk))


def test_another_officer_may_not_remove_a_document_but_a_supervisor_may(make_user):
    partner, first, second = make_user(Role.REFERRER), make_user(Role.PREVENT_OFFICER), make_user(Role.PREVENT_OFFICER)
    triage = make_referral(partner).case  # new and unassigned: both officers may work it
    document = add(triage, first)
    with pytest.raises(PermissionDenied):
        documents.remove_document(document, by=second)
    documents.remove_document(document, by=make_user(Role.SUPERVISOR))
    assert not CaseDocument.objects.exists()


def test_the_police_case_file_lists_the_documents_and_the_panel_pack_never_does(case, officer):
    add(case, officer)
    police = selectors.case_file(officer, case, purpose=CaseFileDisclosure.Purpose.CT_HANDOVER)
    panel = selectors.case_file(officer, case, purpose=CaseFileDisclosure.Purpose.CHANNEL_PANEL)
    assert [d.title for d in police.documents] == [TITLE] and panel.documents == []

    def html(contents):
        return render_to_string("cases/case_file.html", {"case": case, "file": contents, "disclosure": None})

    assert TITLE in html(police) and officer.full_name in html(police)
    assert TITLE not in html(panel)


def test_erasing_the_case_erases_its_documents_and_their_files(
    case, officer, make_user, django_capture_on_commit_callbacks
):
    document = add(case, officer)
    path = attachments.path_of(document.stored_name)
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = erasure.erase_case(
            case, rule="nfa-3-years", requested_by=officer, approved_by=make_user(Role.SUPERVISOR)
        )
    assert not CaseDocument.objects.exists() and not path.exists()
    assert str(document.pk) in tombstone.erased_ids["cases.casedocument"]
    assert tombstone.counts["case document files"] == 1

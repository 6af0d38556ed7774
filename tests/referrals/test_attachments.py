import socket
import struct
import threading
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import intake
from referrals import attachments
from referrals.models import Attachment
from tests.referrals.factories import PDF, make_draft, png, uploaded


@pytest.fixture
def referrer(signed_in):
    return signed_in(Role.REFERRER)


@pytest.fixture
def draft(referrer):
    return make_draft(referrer.user)


def upload(client, draft, *files):
    return client.post(reverse("referrals:attachments", args=[draft.pk]), {"files": list(files)})


def docx() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zipped() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("notes.pdf", PDF, "application/pdf"),
        ("screenshot.png", png(), "image/png"),
        ("notes.txt", b"Plain notes about what happened.\n", "text/plain"),
        ("letter.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_allowed_files_are_stored_under_a_random_name_outside_the_web_root(referrer, draft, name, content, expected):
    response = upload(referrer, draft, uploaded(name, content))
    assert response.status_code == 302
    file = Attachment.objects.get(referral=draft)
    assert file.content_type == expected and file.original_name == name and file.size == len(content)
    assert file.scan == Attachment.Scan.NOT_SCANNED  # no scanner configured
    path = attachments.path_of(file.stored_name)
    assert path.read_bytes() == content and name not in str(path)
    from django.conf import settings

    assert str(path).startswith(str(settings.MEDIA_ROOT)) and not str(path).startswith(
        str(settings.BASE_DIR / "static")
    )
    assert AuditEvent.objects.filter(action="attachment.added", target_id=str(file.pk)).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
            "not a file type we accept",
        ),
        ("photo.png", b"<html><script>alert(1)</script></html>", "not a file type we accept"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a file type"),
        ("empty.pdf", b"", "is empty"),
        ("archive.docx", zipped(), "not a file type we accept"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(referrer, draft, name, content, message):
    response = upload(referrer, draft, uploaded(name, content))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_refused(referrer, draft, settings):
    settings.ATTACHMENT_MAX_MB = 1
    response = upload(referrer, draft, uploaded("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert "larger than 1MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_no_more_than_the_allowed_number_of_files(referrer, draft, settings):
    settings.ATTACHMENT_MAX_COUNT = 3
    assert upload(referrer, draft, *[uploaded(f"{n}.pdf", PDF) for n in range(2)]).status_code == 302
    response = upload(referrer, draft, *[uploaded(f"more{n}.pdf", PDF) for n in range(2)])
    assert "You can add up to 3 files" in response.content.decode()
    assert Attachment.objects.count() == 2  # nothing of a refused batch is kept
    assert AuditEvent.objects.filter(action="attachment.refused").exists()


def test_no_file_chosen_gets_a_message(referrer, draft):
    response = referrer.post(reverse("referrals:attachments", args=[draft.pk]), {})
    assert "Select a file to upload" in response.content.decode()


def test_downloads_are_attachments_never_shown_inline_and_are_audited(referrer, draft, signed_in):
    upload(referrer, draft, uploaded("notes.pdf", PDF))
    intake.submit_referral(draft, by=referrer.user)
    file = Attachment.objects.get()
    officer = signed_in(Role.PREVENT_OFFICER)
    response = officer.get(reverse("referrals:download", args=[file.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;") and "notes.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        action="attachment.downloaded", actor=officer.user, target_id=str(file.pk)
    ).exists()


def test_another_organisation_cannot_download(referrer, draft, signed_in):
    upload(referrer, draft, uploaded("notes.pdf", PDF))
    intake.submit_referral(draft, by=referrer.user)
    outsider = signed_in(Role.REFERRER)
    assert outsider.get(reverse("referrals:download", args=[Attachment.objects.get().pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.downloaded").exists()


def test_removing_a_file_deletes_it_from_disk(referrer, draft, django_capture_on_commit_callbacks):
    upload(referrer, draft, uploaded("notes.pdf", PDF))
    file = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        referrer.post(reverse("referrals:remove_attachment", args=[draft.pk, file.pk]))
    assert not Attachment.objects.exists() and not attachments.path_of(file.stored_name).exists()


class FakeClamd:
    """A real TCP server speaking clamd's INSTREAM protocol, answering as told."""

    def __init__(self, verdict: bytes):
        self.verdict, self.received = verdict, b""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        conn, _ = self.server.accept()
        with conn:
            assert conn.recv(10) == b"zINSTREAM\0"
            while True:
                (size,) = struct.unpack("!L", self._read(conn, 4))
                if size == 0:
                    break
                self.received += self._read(conn, size)
            conn.sendall(b"stream: " + self.verdict + b"\0")

    @staticmethod
    def _read(conn, size):
        data = b""
        while len(data) < size:
            data += conn.recv(size - len(data))
        return data


def test_a_configured_scanner_checks_every_file(referrer, draft, settings):
    clamd = FakeClamd(b"OK")
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{clamd.port}"
    assert upload(referrer, draft, uploaded("notes.pdf", PDF)).status_code == 302
    assert Attachment.objects.get().scan == Attachment.Scan.CLEAN
    assert clamd.received == PDF


def test_a_file_with_a_virus_is_refused(referrer, draft, settings):
    clamd = FakeClamd(b"Eicar-Test-Signature FOUND")
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{clamd.port}"
    response = upload(referrer, draft, uploaded("notes.pdf", PDF))
    assert "our virus check found a threat" in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_are_refused_while_a_configured_scanner_is_down(referrer, draft, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{port}"
    response = upload(referrer, draft, uploaded("notes.pdf", PDF))
    assert "cannot check files for viruses right now" in response.content.decode()
    assert not Attachment.objects.exists()

"""Checking, storing, scanning and sending attachment files. Types are told by content, never by name.

Used for a referral's attachments and for the documents officers add to a case (cases.documents).
"""

import hashlib
import logging
import secrets
import socket
import struct
from pathlib import Path

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "image/heic": "HEIC image",
    "text/plain": "Text file",
    "text/csv": "CSV file",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint presentation",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
}
CHUNK = 64 * 1024
SCANNER_DOWN = "We cannot check files for viruses right now. Try again in a few minutes."


def storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def detect_type(upload) -> str:
    """Return the MIME type the file's content shows (libmagic), whatever its name says."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def check(upload) -> str:
    """Refuse an empty, oversized or disallowed file; return its content type."""
    name = upload.name or "the file"
    if upload.size == 0:
        raise ValidationError(f"{name} is empty.")
    if upload.size > settings.ATTACHMENT_MAX_MB * 1024 * 1024:
        raise ValidationError(f"{name} is larger than {settings.ATTACHMENT_MAX_MB}MB.")
    content_type = detect_type(upload)
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            f"{name} is not a file type we accept. Upload a PDF, image, Office document or plain text file."
        )
    return content_type


def store(upload) -> tuple[str, str]:
    """Write the file under a random name outside the web root; return (stored name, SHA-256)."""
    stored_name = secrets.token_hex(16)
    digest = hashlib.sha256()
    upload.seek(0)
    path = storage_dir() / stored_name
    try:
        with open(path, "xb") as out:
            for chunk in upload.chunks(CHUNK):
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)  # no half-written file left behind
        raise
    return stored_name, digest.hexdigest()


def path_of(stored_name: str) -> Path:
    return storage_dir() / stored_name


def remove(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


class ScannerUnavailable(Exception):
    pass


def scan(upload) -> bool | None:
    """Ask the ClamAV daemon (CLAMAV_ADDRESS, "host:port") about the file.

    Return True when clean, None when no scanner is configured; raise ValidationError when a threat is
    found and ScannerUnavailable when the configured scanner does not answer.
    """
    address = settings.CLAMAV_ADDRESS
    if not address:
        return None
    host, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=settings.CLAMAV_TIMEOUT_SECONDS) as conn:
            conn.sendall(b"zINSTREAM\0")
            upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                conn.sendall(struct.pack("!L", len(chunk)) + chunk)
            conn.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = conn.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as error:
        raise ScannerUnavailable from error
    upload.seek(0)
    reply = reply.rstrip(b"\0").decode(errors="replace")
    if reply.endswith("OK"):
        return True
    if reply.endswith("FOUND"):
        raise ValidationError(f"{upload.name} was refused: our virus check found a threat in it.")
    raise ScannerUnavailable(reply)


def check_and_scan(upload) -> tuple[str, bool | None]:
    """Check the file's size and type by content, then scan it; return (content type, clean or None if unscanned).

    Raise ValidationError with a message for the user when it is refused or the scanner does not answer.
    Both can be slow: call this before taking any lock.
    """
    content_type = check(upload)
    try:
        clean = scan(upload)
    except ScannerUnavailable:
        raise ValidationError(SCANNER_DOWN) from None
    return content_type, clean


def open_stored(stored_name: str, what: str):
    """Open a stored file to send it; a row without its file is logged (by `what`, ids only) and answers 404."""
    try:
        return open(path_of(stored_name), "rb")  # noqa: SIM115 (the FileResponse closes it)
    except FileNotFoundError:
        logger.error("%s has no file on disk", what)
        raise Http404 from None


def download_response(file, *, filename: str, content_type: str) -> FileResponse:
    """Send a stored file as a download, never shown inline, never cached, its type never sniffed."""
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

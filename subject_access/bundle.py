"""The files of an export, kept outside the web root: the full internal copy, and the bundle for the person.

The bundle is one ZIP: a PDF to read, the same content as JSON, and the documents given with the referrals
(their own bytes: a PDF of a screenshot or a spreadsheet would lose what they are). One file to download,
check and hand over, so one audited download covers all of it.
"""

import json
import secrets
import shutil
import uuid
import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import get_valid_filename
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from referrals.attachments import path_of
from referrals.models import Attachment

INTERNAL = "internal.json"
BUNDLE = "bundle.zip"


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "subject_access"


def new_folder() -> str:
    """Return a fresh random folder name for one generation (never the person's name or the request's id)."""
    folder = secrets.token_hex(16)
    (root() / folder).mkdir(parents=True, exist_ok=False)
    return folder


def folder_path(folder: str) -> Path:
    if not folder or not folder.isalnum():
        raise ValueError("not an export folder")
    return root() / folder


def remove(folder: str) -> None:
    """Delete one generation's files (nothing happens if they are already gone)."""
    if folder:
        shutil.rmtree(folder_path(folder), ignore_errors=True)


def write_internal(folder: str, data: dict) -> None:
    (folder_path(folder) / INTERNAL).write_text(json.dumps(data, cls=DjangoJSONEncoder, indent=1))


def read_internal(folder: str) -> dict | None:
    try:
        return json.loads((folder_path(folder) / INTERNAL).read_text())
    except (FileNotFoundError, ValueError):
        return None


def file_name(item_key: str, name: str) -> str:
    return f"documents/{item_key}/{get_valid_filename(name) or 'document'}"


def write_bundle(folder: str, data: dict, progress=lambda: None) -> Path:
    """Write the person's ZIP (PDF, JSON, documents) from the redacted data; report each file as it goes."""
    reference = data["request"]["reference"]
    entries = [entry for section in data["sections"] for item in section["items"] for entry in item["files"]]
    for section in data["sections"]:
        for item in section["items"]:
            for entry in item["files"]:
                entry["path"] = file_name(item["key"], entry["name"])
    stored = dict(
        Attachment.objects.filter(pk__in=[entry["attachment_id"] for entry in entries]).values_list("pk", "stored_name")
    )
    path = folder_path(folder) / BUNDLE
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr(f"{reference}.json", json.dumps(data, cls=DjangoJSONEncoder, indent=1))
        bundle.writestr(f"{reference}.pdf", pdf(data))
        progress()
        for entry in entries:
            name = stored.get(uuid.UUID(entry["attachment_id"]))
            source = path_of(name) if name else None
            if source is not None and source.exists():
                bundle.write(source, entry["path"])
            progress()
    return path


def _text(value: str, style) -> Paragraph:
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


def pdf(data: dict) -> bytes:
    """Return a plain, readable PDF of the data: a heading per section, a table of fields per item."""
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=9, leading=11)
    buffer = BytesIO()
    reference = data["request"]["reference"]
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Subject access {reference}",
        author=settings.SERVICE_NAME,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = [
        _text("Your personal information", styles["Title"]),
        _text(f"Subject access request {reference}, received {data['request']['received_on']}.", body),
        _text(f"Made on {data['request']['generated_at'][:10]}.", body),
        Spacer(1, 6 * mm),
    ]
    if not data["sections"]:
        story.append(_text("We hold no information about you in this service.", body))
    for section in data["sections"]:
        story.append(_text(section["title"], styles["Heading1"]))
        for item in section["items"]:
            title = item["title"] + (f" ({item['date'][:10]})" if item.get("date") else "")
            story.append(_text(title, styles["Heading3"]))
            rows = [[_text(field["label"], small), _text(field["value"], small)] for field in item["fields"]]
            rows += [
                [_text("Document", small), _text(f"In this bundle as {entry['path']}", small)]
                for entry in item["files"]
            ]
            if rows:
                table = Table(rows, colWidths=[55 * mm, 119 * mm])
                table.setStyle(
                    TableStyle(
                        [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                        ]
                    )
                )
                story.append(table)
            story.append(Spacer(1, 3 * mm))
    document.build(story)
    return buffer.getvalue()

"""Verify the audit events' hash chain and anchor its latest link outside the database.

The database chains each event as it is inserted (audit.triggers). `verify()` walks the chain in seq
order, a batch at a time, recomputes every hash from the canonical text the database gives for the
event, and reports the first broken link. An edit changes an event's hash; a deletion leaves a gap in
seq; a reordering or an insertion breaks the next event's prev_hash. Someone able to rewrite the whole
chain after a change is caught by the anchors: the latest (seq, hash), written every few minutes where
the application's database role cannot reach (a file, and the `audit.anchor` logger for an external
log stream). An anchor that no longer matches, or that names an event past the end, is a break.
"""

import datetime
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from audit import triggers

anchor_log = logging.getLogger("audit.anchor")

BATCH_SIZE = 5000
# Built from constants only. PostgreSQL computes the canonical text in the query itself (the expression
# `audit_event_canonical` is made of), SQLite through the Python function it registers under that name.
_BATCH_SQL = {
    vendor: f"SELECT id, seq, prev_hash, hash, {canonical} FROM audit_auditevent WHERE seq > %s ORDER BY seq LIMIT %s"  # noqa: S608, E501
    for vendor, canonical in [("postgresql", triggers.PG_CANONICAL_OF_ROW), ("sqlite", triggers.CANONICAL_CALL)]
}


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: str


@dataclass(frozen=True)
class Break:
    """The first broken link: where it is, a code for what is wrong, and a sentence free of personal data."""

    seq: int | None
    event_id: int | None
    problem: str
    message: str


@dataclass(frozen=True)
class Verification:
    events: int
    last_seq: int
    last_hash: str
    anchors: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(*, anchors: list[Anchor] | None = None, batch_size: int = BATCH_SIZE) -> Verification:
    """Walk the whole chain and return the first broken link, if any; memory stays one batch."""
    if anchors is None:
        try:
            anchors = read_anchors()
        except ValueError as error:
            return Verification(0, 0, triggers.GENESIS_HASH, 0, Break(None, None, "anchors_unreadable", str(error)))
    by_seq: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_seq.setdefault(anchor.seq, []).append(anchor)
    count, last_seq, last_hash = 0, 0, triggers.GENESIS_HASH

    def result(broken):
        return Verification(count, last_seq, last_hash, len(anchors), broken)

    while True:
        with connection.cursor() as cursor:
            cursor.execute(_BATCH_SQL[connection.vendor], [last_seq, batch_size])
            rows = cursor.fetchall()
        for event_id, seq, prev_hash, stored_hash, canonical in rows:
            broken = _check_link(event_id, seq, prev_hash, stored_hash, canonical, last_seq, last_hash)
            broken = broken or _check_anchors(event_id, seq, stored_hash, by_seq.get(seq, []))
            if broken:
                return result(broken)
            count, last_seq, last_hash = count + 1, seq, stored_hash
        if len(rows) < batch_size:
            break
    beyond = [anchor for anchor in anchors if anchor.seq > last_seq]
    if beyond:
        anchor = min(beyond, key=lambda anchor: anchor.seq)
        return result(
            Break(
                last_seq + 1,
                None,
                "missing_tail",
                f"the chain ends at seq {last_seq}, but an anchor written at {anchor.at} records seq {anchor.seq}: "
                f"events from seq {last_seq + 1} on are missing",
            )
        )
    with connection.cursor() as cursor:
        # Events outside the walk: no seq, or one below the first (a seq over the last is reached by the walk).
        cursor.execute("SELECT MIN(id), COUNT(*) FROM audit_auditevent WHERE seq IS NULL OR seq < 1")
        first_id, unchained = cursor.fetchone()
    if unchained:
        return result(
            Break(None, first_id, "unchained", f"{unchained} events have no place in the chain (first id {first_id})")
        )
    return result(None)


def _check_link(event_id, seq, prev_hash, stored_hash, canonical, last_seq, last_hash) -> Break | None:
    if seq != last_seq + 1:
        return Break(
            last_seq + 1,
            None,
            "missing",
            f"seq {last_seq + 1} is missing (the next event found is seq {seq}, id {event_id})",
        )
    if prev_hash != last_hash:
        return Break(seq, event_id, "prev_hash_mismatch", f"seq {seq} (id {event_id}) does not follow seq {last_seq}")
    if triggers.chain_hash(prev_hash, canonical) != stored_hash:
        return Break(seq, event_id, "hash_mismatch", f"seq {seq} (id {event_id}) was changed after it was written")
    return None


def _check_anchors(event_id, seq, stored_hash, anchors: list[Anchor]) -> Break | None:
    for anchor in anchors:
        if anchor.hash != stored_hash:
            return Break(
                seq,
                event_id,
                "anchor_mismatch",
                f"seq {seq} (id {event_id}) differs from the anchor written at {anchor.at}: the chain was rewritten",
            )
    return None


def latest_link() -> tuple[int, str] | None:
    """Return the seq and hash of the last chained event, or None while there is none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM audit_auditevent WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def write_anchor(*, now: datetime.datetime | None = None) -> Anchor | None:
    """Write the latest link to the `audit.anchor` logger and append it to AUDIT_ANCHOR_FILE."""
    link = latest_link()
    if link is None:
        return None
    moment = (now or datetime.datetime.now(tz=datetime.UTC)).astimezone(datetime.UTC)
    anchor = Anchor(seq=link[0], hash=link[1], at=moment.isoformat(timespec="seconds").replace("+00:00", "Z"))
    line = json.dumps({"seq": anchor.seq, "hash": anchor.hash, "at": anchor.at})
    anchor_log.info("audit anchor %s", line, extra={"audit_anchor": line})
    path = anchor_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_APPEND: a line is never written over another, even with two writers.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, (line + "\n").encode())
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return anchor


def anchor_file() -> Path | None:
    """Return the anchor file's path, or None where anchors go only to the log stream."""
    value = getattr(settings, "AUDIT_ANCHOR_FILE", "")
    return Path(value) if value else None


def read_anchors(path: Path | None = None) -> list[Anchor]:
    """Read anchors from JSON lines (the anchor file by default); a line that cannot be read is an error."""
    path = path or anchor_file()
    if path is None or not path.exists():
        return []
    anchors = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                fields = json.loads(line)
                anchors.append(Anchor(seq=int(fields["seq"]), hash=str(fields["hash"]), at=str(fields["at"])))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"anchor file {path}, line {number}: not an anchor") from error
    return anchors

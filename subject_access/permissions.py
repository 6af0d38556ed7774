"""Who may handle subject access requests. Each "may this user act on this request?" pairs with a selector."""

from dataclasses import dataclass

from subject_access.models import SubjectAccessRequest


def can_handle_subject_access(user) -> bool:
    """Supervisors find what is held about a person, withhold under an exemption, generate and release it."""
    return user.is_authenticated and user.has_perm("subject_access.handle_subject_access")


S = SubjectAccessRequest.Status
# States from which generation may be (re)started (also a stuck generation: see `selectors.is_stuck`).
GENERATABLE = (S.CONFIRMED, S.READY, S.STALE, S.FAILED)


def can_confirm_records(user, sar) -> bool:
    """The records a request covers are chosen until its export is first generated."""
    return can_handle_subject_access(user) and sar.status in (S.CONFIRMING, S.CONFIRMED)


def can_generate(user, sar, *, stuck: bool) -> bool:
    """The export is generated once records are confirmed, again after a change or failure, or when stuck."""
    return can_handle_subject_access(user) and (sar.status in GENERATABLE or stuck)


def can_withhold(user, sar, *, generated: bool) -> bool:
    """What is withheld is chosen (or given back) on a generated export, before it is released."""
    return can_handle_subject_access(user) and generated and sar.status in (S.READY, S.STALE)


def can_download(user, sar, *, generated: bool) -> bool:
    """The generated bundle is downloaded while its files are kept, ready or released."""
    return can_handle_subject_access(user) and generated and sar.status in (S.READY, S.RELEASED)


def can_release(user, sar) -> bool:
    """An export is released to the person only as generated, with nothing changed since (not stale)."""
    return can_handle_subject_access(user) and sar.status == S.READY


@dataclass(frozen=True)
class RequestActions:
    """What a request's page offers: each flag is one button, link or notice, decided here, not in the page."""

    confirm_records: bool = False  # else the records are only seen
    generate: bool = False
    running: bool = False  # a generation is queued or running: follow its progress
    withhold: bool = False
    download: bool = False
    release: bool = False
    stale: bool = False  # what is withheld changed since generation: generate again before release


def request_actions(user, sar, *, generated: bool, stuck: bool) -> RequestActions:
    """Return what the request's page offers this user; `generated` is that the export's files are kept."""
    return RequestActions(
        confirm_records=can_confirm_records(user, sar),
        generate=can_generate(user, sar, stuck=stuck) and bool(sar.referral_ids),
        running=sar.status in (S.QUEUED, S.GENERATING),
        withhold=can_withhold(user, sar, generated=generated),
        download=can_download(user, sar, generated=generated),
        release=can_release(user, sar),
        stale=sar.status == S.STALE,
    )

"""Writes for advice requests: partners ask, the Prevent team answers, closes or asks for a referral."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import record
from core.references import new_reference
from notifications.services import prevent_team
from referrals import notices, permissions
from referrals.models import AdviceMessage, AdviceRequest
from referrals.services import start_referral


def _locked(request: AdviceRequest) -> AdviceRequest:
    return AdviceRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def ask_advice(*, by: User, question: str) -> AdviceRequest:
    """A partner asks the Prevent team for advice; the team is told at once."""
    if not permissions.can_ask_advice(by):
        raise PermissionDenied
    request = AdviceRequest.objects.create(
        reference=new_reference("AD", AdviceRequest), organisation=by.organisation, asked_by=by
    )
    AdviceMessage.objects.create(request=request, author=by, body=question)
    record(by=by, action="advice.requested", target=request)
    notices.advice_requested(request)
    return request


@transaction.atomic
def log_phone_advice(*, by: User, organisation, question: str, advice: str) -> AdviceRequest:
    """An officer records advice given by phone, so it is counted and audited like the rest."""
    if not permissions.can_answer_advice(by):
        raise PermissionDenied
    request = AdviceRequest.objects.create(
        reference=new_reference("AD", AdviceRequest),
        organisation=organisation,
        channel=AdviceRequest.Channel.PHONE,
        status=AdviceRequest.Status.ANSWERED,
    )
    AdviceMessage.objects.create(request=request, author=by, from_police=False, body=question)
    AdviceMessage.objects.create(request=request, author=by, from_police=True, body=advice)
    record(by=by, action="advice.logged", target=request, channel="phone")
    return request


@transaction.atomic
def reply(request: AdviceRequest, *, by: User, body: str) -> AdviceMessage:
    """Add a message to the conversation; the other side is told."""
    request = _locked(request)
    police = permissions.can_answer_advice(by)
    if not police and not (permissions.can_ask_advice(by) and request.organisation_id == by.organisation_id):
        raise PermissionDenied
    if request.status == AdviceRequest.Status.CLOSED:
        raise ValidationError("This conversation is closed.")
    message = AdviceMessage.objects.create(request=request, author=by, from_police=police, body=body)
    if police:
        request.status = AdviceRequest.Status.ANSWERED
    elif request.status == AdviceRequest.Status.ANSWERED:
        request.status = AdviceRequest.Status.OPEN
    request.save(update_fields=["status", "updated_at"])
    record(by=by, action="advice.replied", target=request, from_police=police)
    recipients = [request.asked_by] if police and request.asked_by else prevent_team()
    notices.advice_replied(request, recipients)
    return message


@transaction.atomic
def close(request: AdviceRequest, *, by: User) -> AdviceRequest:
    """The Prevent team closes a conversation that needs nothing more."""
    if not permissions.can_answer_advice(by):
        raise PermissionDenied
    request = _locked(request)
    request.status = AdviceRequest.Status.CLOSED
    request.save(update_fields=["status", "updated_at"])
    record(by=by, action="advice.closed", target=request)
    return request


@transaction.atomic
def ask_for_referral(request: AdviceRequest, *, by: User) -> AdviceRequest:
    """The Prevent team asks the partner to complete the referral form; what they wrote is carried over."""
    if not permissions.can_answer_advice(by):
        raise PermissionDenied
    request = _locked(request)
    if request.asked_by is None:
        raise ValidationError("This advice was given by phone: enter the referral for the partner instead.")
    request.status = AdviceRequest.Status.REFERRAL_ASKED
    request.save(update_fields=["status", "updated_at"])
    record(by=by, action="advice.referral_asked", target=request)
    notices.advice_replied(request, [request.asked_by])
    return request


@transaction.atomic
def start_referral_from_advice(request: AdviceRequest, *, by: User):
    """The person who asked starts the referral the team asked for, once, with their question carried in."""
    request = _locked(request)
    if request.status != AdviceRequest.Status.REFERRAL_ASKED or request.asked_by_id != by.pk:
        raise PermissionDenied
    existing = request.referrals.first()
    if existing is not None:
        return existing
    referral = start_referral(by=by, advice_request=request)
    record(by=by, action="advice.referral_started", target=request, referral_id=str(referral.pk))
    return referral

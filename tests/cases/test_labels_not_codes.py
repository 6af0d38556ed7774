"""Every stored choice is shown by its label, never its code, wherever a role reads it."""

from django import forms
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from cases import support
from cases.models import Case, CaseEvent
from referrals import sections
from subject_access.items import assessment_item
from tests.cases.support_factories import case_in_support
from tests.conftest import sign_in_client


def _choice_fields():
    for section in sections.SECTIONS:
        for name, field in section.form().fields.items():
            if isinstance(field, forms.ChoiceField):
                for value, label in field.choices:
                    if value and str(value) != str(label):
                        yield section, name, field, value, str(label)


def test_every_section_shows_every_choice_by_its_label(db):
    checked = 0
    for section, name, field, value, label in _choice_fields():
        stored = [value] if isinstance(field, forms.MultipleChoiceField) else value
        item = {name: stored}
        rows = sections.summary(section, [item] if section.repeatable else item)
        answers = [row["answer"] for row in rows if row["question"].endswith(str(field.label))]
        assert answers == [label], (section.slug, name, value)
        checked += 1
    assert checked > 30  # the walk reached the forms' choices


def test_a_provider_reads_labels_and_only_the_questions_shared(make_user):
    case = case_in_support(make_user)
    referral = case.referrals.get()
    referral.answers["needs"] = {"needs": ["mental_health", "housing"], "needs_details": "Waiting list."}
    referral.answers["contact-details"] |= {"address": "1 High Street", "nhs_number": "943 476 5919"}
    referral.save(update_fields=["answers"])
    provider = make_user(Role.SUPPORT_PROVIDER)
    support.grant_provider(case, by=case.assigned_to, provider=provider, sections=["needs", "contact"])
    body = sign_in_client(Client(), provider).get(reverse("cases:provided_case", args=[case.pk])).content.decode()
    assert "Mental health needs" in body and "mental_health" not in body
    assert "Waiting list." in body and "1 High Street" in body
    assert "943 476 5919" not in body  # not among the questions a provider is shown
    event = CaseEvent.objects.filter(case=case, what__contains="given access to").latest("at")
    assert event.what.endswith("given access to: Their contact details, Their needs")


def test_the_assessment_shows_question_and_rating_labels(make_user):
    case = case_in_support(make_user)
    assessment = case.assessments.get()
    assessment.answers = {"engagement": {"rating": "none", "notes": "Nothing seen."}}
    assessment.save(update_fields=["answers"])
    officer = sign_in_client(Client(), Case.objects.get(pk=case.pk).assigned_to)
    body = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Engagement with a group, cause or ideology" in body
    assert "None seen" in body
    fields = {field["label"]: field["value"] for field in assessment_item(assessment)["fields"]}
    assert fields["Engagement with a group, cause or ideology: rating"] == "None seen"

"""The pages of the referral form, in order, and how each section's answers are shown back."""

from dataclasses import dataclass
from datetime import date

from django import forms as django_forms

from core.dates import DateField
from referrals import forms


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    form: type[forms.SectionForm]
    # A repeatable section is a list of items added one at a time ("add another").
    repeatable: bool = False
    # Repeatable sections may be left empty; the others must be answered before submitting.
    required: bool = True


SECTIONS = [
    Section("before-you-start", "Before you start", forms.StartForm),
    Section("about-you", "About you", forms.ReferrerForm),
    Section("the-person", "The person you are worried about", forms.IndividualForm),
    Section("contact-details", "Their contact details", forms.ContactForm),
    Section("household", "Household members", forms.HouseholdMemberForm, repeatable=True, required=False),
    Section("agencies", "Other agencies involved", forms.AgencyForm, repeatable=True, required=False),
    Section("awareness", "Who knows about this referral", forms.AwarenessForm),
    Section("concerns", "Your concerns", forms.ConcernsForm),
    Section("needs", "Their needs", forms.NeedsForm),
    Section("type-of-concern", "Type of concern", forms.ConcernTypeForm),
]
BY_SLUG = {section.slug: section for section in SECTIONS}
ATTACHMENTS = "attachments"
CHECK = "check-your-answers"


def next_slug(slug: str) -> str:
    """Return the page after this one: the next section, then attachments, then check your answers."""
    slugs = [section.slug for section in SECTIONS] + [ATTACHMENTS, CHECK]
    return slugs[slugs.index(slug) + 1]


def previous_slug(slug: str) -> str | None:
    slugs = [section.slug for section in SECTIONS] + [ATTACHMENTS, CHECK]
    index = slugs.index(slug)
    return slugs[index - 1] if index else None


def missing_sections(answers: dict) -> list[Section]:
    return [section for section in SECTIONS if section.required and section.slug not in answers]


def _display(field, value) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(field, DateField):
        return date.fromisoformat(value).strftime("%-d %B %Y")
    if isinstance(field, django_forms.MultipleChoiceField):
        labels = dict(field.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    if isinstance(field, django_forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)


def summaries(referral) -> list[dict]:
    """Return every section of the referral with its rows, for check-your-answers and the full view."""
    return [
        {"section": page, "rows": summary(page, referral.answers.get(page.slug, [] if page.repeatable else None))}
        for page in SECTIONS
    ]


def summary(section: Section, stored, only: tuple[str, ...] | None = None) -> list[dict]:
    """Return the section's answers as rows of (question, answer as given) for a summary list.

    Every stored choice is shown by its label ("Mental health needs", never `mental_health`); `only` keeps
    the rows of these fields (what a provider is shown of a section).
    """
    if not section.repeatable and not stored:
        return [{"question": section.title, "answer": "Not answered yet"}]
    form = section.form()
    items = stored if section.repeatable else [stored]
    rows = []
    for number, item in enumerate(items, start=1):
        for name, field in form.fields.items():
            if only is not None and name not in only:
                continue
            value = _display(field, item.get(name))
            if value:
                label = f"{number}. {field.label}" if section.repeatable else field.label
                rows.append({"question": label, "answer": value})
    return rows

"""The referral form's question pages, one form per section.

Each section's cleaned data is stored as JSON on the referral, as given. Labels here are what the
referrer sees and what the check-answers page and officers see beside each answer.
"""

from datetime import date

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Size
from django import forms
from django.utils import timezone

from core.dates import DateField
from core.forms import govuk_fields, govuk_helper
from referrals.models import ConcernType


def _earliest_birth() -> date:
    return date(timezone.localdate().year - 120, 1, 1)


BORN_WHEN = "Date of birth must be in the past and within the last 120 years"


YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNSURE = [("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")]
TEXT = {"max_length": 500}
LONG_TEXT = {"max_length": 20000}


def _required(message):
    return {"required": message}


def _text(label, required_message=None, *, hint="", long=False, widget=None):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required_message is not None,
        error_messages=_required(required_message) if required_message else {},
        widget=widget or (forms.Textarea(attrs={"rows": 8 if long else 4}) if long else None),
        **(LONG_TEXT if long else TEXT),
    )


def _choice(label, choices, required_message, hint="", *, multiple=False):
    if multiple:
        return forms.MultipleChoiceField(
            label=label,
            help_text=hint,
            choices=choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


class SectionForm(forms.Form):
    """A question page: lays itself out in GOV.UK style and says how to store and show its answers."""

    submit_label = "Save and continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(*self.layout_fields(), submit=self.submit_label)

    def layout_fields(self):
        return govuk_fields(self)

    @classmethod
    def to_json(cls, cleaned: dict) -> dict:
        return {key: value.isoformat() if isinstance(value, date) else value for key, value in cleaned.items()}

    @classmethod
    def from_json(cls, stored: dict) -> dict:
        initial = dict(stored)
        for name, field in cls.base_fields.items():
            if isinstance(field, DateField) and initial.get(name):
                initial[name] = date.fromisoformat(initial[name])
        return initial


class StartForm(SectionForm):
    discussed_with_lead = _choice(
        "Have you discussed this concern with your safeguarding or Prevent lead?",
        YES_NO,
        "Select yes if you have discussed this concern with your safeguarding or Prevent lead",
        hint="Talk to them first if you can. You can still make the referral if you have not.",
    )
    lead_name = _text("Name of your safeguarding or Prevent lead (optional)")


class ReferrerForm(SectionForm):
    name = _text("Your full name", "Enter your full name")
    role = _text("Your job title or role", "Enter your job title or role")
    organisation = _text("Your organisation", "Enter your organisation")
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    phone = _text("Work phone number", "Enter a work phone number we can call you on")
    relationship = _text(
        "What is your relationship to the person?",
        "Enter your relationship to the person",
        hint="For example, their teacher, GP or support worker.",
    )


DOB_CHOICES = [
    ("exact", "I know their date of birth"),
    ("age", "I know roughly how old they are"),
    ("year", "I know the year they were born"),
    ("unknown", "I do not know"),
]
GENDER_CHOICES = [("female", "Female"), ("male", "Male"), ("other", "Another gender"), ("unknown", "Not known")]


class IndividualForm(SectionForm):
    surname = _text("Surname or family name", "Enter their surname or family name")
    forenames = _text("First names", "Enter their first names")
    aliases = _text(
        "Other names they use or are known by (optional)", hint="Nicknames, previous names, other spellings."
    )
    dob_known = _choice(
        "What do you know about their date of birth?", DOB_CHOICES, "Select what you know about their date of birth"
    )
    date_of_birth = DateField(
        label="Date of birth",
        example="27 3 2009",
        help_text="For example, 27 3 2009",
        earliest=_earliest_birth,
        latest=timezone.localdate,
        too_early=BORN_WHEN,
        too_late=BORN_WHEN,
    )
    approximate_age = forms.IntegerField(
        label="Approximate age in years",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter their approximate age as a number, like 15",
            "min_value": "Age must be 0 or more",
            "max_value": "Age must be 120 or less",
        },
    )
    birth_year = forms.IntegerField(
        label="Year of birth",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the year as 4 digits, like 2009"},
    )
    gender = _choice("Gender", GENDER_CHOICES, "Select their gender, or 'Not known'")
    ethnicity = _text("Ethnicity (optional)")
    nationality = _text("Nationality (optional)")
    religion = _text("Religion (optional)")
    birth_place = _text("Place or country of birth (optional)")
    languages = _text("Languages they speak (optional)")
    speaks_english = _choice("Do they speak English?", YES_NO_UNSURE, "Select whether they speak English")

    # Each date-of-birth answer belongs to one choice; what sits in the other (hidden) boxes is ignored.
    ANSWER_FOR_CHOICE = {"exact": "date_of_birth", "age": "approximate_age", "year": "birth_year"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            for choice, name in self.ANSWER_FOR_CHOICE.items():
                if data.get("dob_known") != choice:
                    for key in (name, f"{name}_day", f"{name}_month", f"{name}_year"):
                        data.pop(key, None)
            self.data = data

    def layout_fields(self):
        return [
            Field.text("surname"),
            Field.text("forenames"),
            Field.text("aliases"),
            ConditionalRadios(
                "dob_known",
                ConditionalQuestion(DOB_CHOICES[0][1], Field("date_of_birth")),
                ConditionalQuestion(DOB_CHOICES[1][1], Field.text("approximate_age", field_width=3)),
                ConditionalQuestion(DOB_CHOICES[2][1], Field.text("birth_year", field_width=4)),
                DOB_CHOICES[3][1],
            ),
            Field.radios("gender", legend_size=Size.SMALL),
            *[Field.text(name) for name in ("ethnicity", "nationality", "religion", "birth_place", "languages")],
            Field.radios("speaks_english", legend_size=Size.SMALL),
        ]

    def clean(self):
        cleaned = super().clean()
        known = cleaned.get("dob_known")
        today = timezone.localdate()
        if known == "exact" and cleaned.get("date_of_birth") is None and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Enter their date of birth")
        if known == "age" and cleaned.get("approximate_age") is None and "approximate_age" not in self.errors:
            self.add_error("approximate_age", "Enter their approximate age")
        if known == "year":
            year = cleaned.get("birth_year")
            if year is None and "birth_year" not in self.errors:
                self.add_error("birth_year", "Enter the year they were born")
            elif year is not None and not today.year - 120 <= year <= today.year:
                self.add_error("birth_year", f"Year of birth must be between {today.year - 120} and {today.year}")
        return cleaned


class ContactForm(SectionForm):
    address = _text("Home address (optional)", long=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": "Enter a postcode of 16 characters or fewer"},
    )
    phone = _text("Phone number (optional)")
    social_media = _text("Social media usernames (optional)", hint="Say which platform each is on.", long=True)
    school_or_occupation = _text("School, college or occupation (optional)")
    nhs_number = _text("NHS number, if known (optional)")
    social_care_id = _text("Social care ID, if known (optional)")

    def clean_postcode(self):
        return " ".join(self.cleaned_data["postcode"].upper().split())


class HouseholdMemberForm(SectionForm):
    submit_label = "Add this person"
    name = _text("Full name", "Enter the household member's name")
    date_of_birth = _text("Date of birth or age (optional)")
    relationship = _text("Relationship to the person referred", "Enter their relationship, like mother or brother")


class AgencyForm(SectionForm):
    submit_label = "Add this agency"
    agency = _text("Agency or service", "Enter the agency or service, like children's social care")
    contact_name = _text("Contact name (optional)")
    contact_details = _text("Contact phone or email (optional)")


class AwarenessForm(SectionForm):
    person_aware = _choice(
        "Does the person know about this referral?",
        YES_NO_UNSURE,
        "Select whether the person knows about this referral",
    )
    family_aware = _choice(
        "Does their family or carer know about this referral?",
        YES_NO_UNSURE,
        "Select whether their family or carer knows about this referral",
    )
    awareness_notes = _text("Anything we should know before contacting them or their family (optional)", long=True)


CONCERN_PROMPTS = (
    "Tell us what has happened and why you are worried. You could include: how the concern came to your "
    "notice; specific events, with dates; travel or plans to travel to conflict zones; worrying contacts or "
    "groups; online activity; threats or a wish to harm others; interest in extremist ideas; interest in "
    "mass-casualty attacks or school shootings."
)


class ConcernsForm(SectionForm):
    concerns = _text("Describe your concerns", "Describe your concerns", hint=CONCERN_PROMPTS, long=True)
    how_noticed = _text("How did the concern come to your notice? (optional)", long=True)


NEEDS = [
    ("sen", "Special educational needs"),
    ("neurodiversity", "Neurodiversity, such as autism or ADHD"),
    ("mental_health", "Mental health needs"),
    ("physical_health", "Physical health needs or disability"),
    ("substance_misuse", "Drug or alcohol misuse"),
    ("other", "Another vulnerability"),
]


class NeedsForm(SectionForm):
    needs = _choice(
        "Do they have any of these needs? (optional)", NEEDS, "", hint="Select all that apply.", multiple=True
    )
    needs_details = _text("Tell us more about their needs (optional)", long=True)


class ConcernTypeForm(SectionForm):
    concern_type = forms.ChoiceField(
        label="What type of concern do you think this is?",
        help_text="Your view helps us. The Prevent team makes its own assessment.",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of concern, or 'I'm not sure'",
            "invalid_choice": "Select the type of concern, or 'I'm not sure'",
        },
    )

    NOT_SURE = "not_sure"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = ConcernType.objects.filter(valid_from__lte=timezone.localdate()).exclude(
            valid_to__lt=timezone.localdate()
        )
        self.fields["concern_type"].choices = [(code.code, code.label) for code in codes] + [
            (self.NOT_SURE, "I'm not sure")
        ]

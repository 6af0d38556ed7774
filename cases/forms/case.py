"""Forms of the case page: notes, checks, the assessment, the decision and its sign-off."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from cases.models import Check, Outcome
from cases.models.assessment import RATINGS
from core.forms import govuk_helper
from core.notes import CASE_NOTE_MAX_LENGTH, note_field


class VersionedForm(forms.Form):
    """Carries the version of the case the user saw, so a change made meanwhile is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = note_field("Add a case note", required_message="Enter the note", max_length=CASE_NOTE_MAX_LENGTH, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("text"), submit="Add note")
        self.helper.form_tag = False


class FeedbackForm(forms.Form):
    """A few words for one referrer, beside their referral's status: never police-only information."""

    feedback = forms.CharField(
        label="Feedback the referrer will see (no police-only information)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the feedback to share with the referrer",
            "max_length": "Feedback must be 2000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("feedback"), submit="Share feedback")


class CheckForm(forms.Form):
    kind = forms.ChoiceField(
        label="What did you check?",
        choices=Check.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you checked"},
    )
    result = forms.ChoiceField(
        label="What did it find?",
        choices=Check.Result.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the check found"},
    )
    note = note_field("Note (police only, optional)", max_length=CASE_NOTE_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("result", legend_size=Size.SMALL),
            Field.textarea("note"),
            submit="Record check",
        )


class AssessmentForm(VersionedForm):
    concern_type = forms.ChoiceField(
        label="Type of concern, as you assess it",
        help_text="The referrer's view is kept as they gave it.",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of concern, as you assess it"},
    )
    rationale = forms.CharField(
        label="Overall assessment and rationale",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your overall assessment and rationale"},
    )

    def __init__(self, *args, template, concern_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concern_type"].choices = concern_types
        fields = [Field.radios("concern_type", legend_size=Size.MEDIUM)]
        for question in template.questions:
            key = question["key"]
            self.fields[f"{key}_rating"] = forms.ChoiceField(
                label=question["label"],
                help_text=question.get("hint", ""),
                choices=RATINGS,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select a rating for {question['label'].lower()}"},
            )
            self.fields[f"{key}_notes"] = forms.CharField(
                label=f"Evidence for {question['label'].lower()}",
                max_length=20000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            fields += [
                Field.radios(f"{key}_rating", legend_size=Size.MEDIUM, inline=True),
                Field.textarea(f"{key}_notes"),
            ]
        self.template = template
        self.helper = govuk_helper("version", *fields, Field.textarea("rationale"), submit="Save assessment")

    def answers(self) -> dict:
        return {
            question["key"]: {
                "rating": self.cleaned_data[f"{question['key']}_rating"],
                "notes": self.cleaned_data[f"{question['key']}_notes"],
            }
            for question in self.template.questions
        }


class DecisionForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    signposted_to = forms.CharField(
        label="Signposted to which service?",
        required=False,
        max_length=200,
        help_text="For example, children's social care, early help or mental health services.",
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the rationale for the decision"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            "version",
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.text("signposted_to"),
            Field.textarea("rationale"),
            submit="Record decision",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.SIGNPOSTED and not cleaned.get("signposted_to"):
            self.add_error("signposted_to", "Enter the service you signposted them to")
        return cleaned


class SignOffForm(VersionedForm):
    approve = forms.ChoiceField(
        label="Your sign-off",
        choices=[("yes", "Sign off: the decision stands"), ("no", "Return it to the officer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you sign off the decision"},
    )
    note = note_field("Note (optional)", max_length=CASE_NOTE_MAX_LENGTH)

    def __init__(self, *args, closure=False, **kwargs):
        super().__init__(*args, **kwargs)
        if closure:
            self.fields["approve"].choices = [("yes", "Sign off: close the case"), ("no", "Return it to support")]
            self.fields["approve"].error_messages["required"] = "Select whether you sign off the closure"
        self.helper = govuk_helper(
            "version", Field.radios("approve", legend_size=Size.MEDIUM), Field.textarea("note"), submit="Save"
        )

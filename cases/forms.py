from crispy_forms_gds.layout import Field, Size
from django import forms

from cases.models import Check, Outcome
from cases.reference_data import RATINGS
from pages.forms import govuk_fields, govuk_helper


class VersionedForm(forms.Form):
    """Carries the version of the case the user saw, so a change made meanwhile is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a case note",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the note"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("text"), submit="Add note")
        self.helper.form_tag = False


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
    note = forms.CharField(
        label="Note (police only, optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

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
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, closure=False, **kwargs):
        super().__init__(*args, **kwargs)
        if closure:
            self.fields["approve"].choices = [("yes", "Sign off: close the case"), ("no", "Return it to support")]
            self.fields["approve"].error_messages["required"] = "Select whether you sign off the closure"
        self.helper = govuk_helper(
            "version", Field.radios("approve", legend_size=Size.MEDIUM), Field.textarea("note"), submit="Save"
        )


def _simple(form, submit):
    return govuk_helper(*govuk_fields(form), submit=submit)


class MeetingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    meets_on = forms.DateField(
        label="Date of the meeting",
        help_text="For example, 2026-12-14",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the date of the meeting", "invalid": "Enter a real date"},
    )
    members = forms.ModelMultipleChoiceField(
        label="Panel members",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one panel member"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["members"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=["panel_member", "prevent_officer", "supervisor"])
            .distinct()
            .order_by("full_name")
        )
        self.helper = _simple(self, "Create meeting")


class PanelDecisionForm(forms.Form):
    adopted = forms.ChoiceField(
        label="The panel's decision",
        choices=[("yes", "Adopted as a Channel case"), ("no", "Not adopted")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )
    onward_referral = forms.CharField(
        label="If not adopted: onward referral considered (optional)",
        required=False,
        max_length=300,
        help_text="For example, children's social care or mental health services.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _simple(self, "Record decision")


class SupportPlanForm(forms.Form):
    support = forms.CharField(
        label="What support",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"required": "Enter what support will be given"},
    )
    provided_by = forms.CharField(
        label="Provided by whom", max_length=300, error_messages={"required": "Enter who will provide it"}
    )
    how_and_when = forms.CharField(
        label="How and when",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        error_messages={"required": "Enter how and when"},
    )
    consent_sought_by = forms.CharField(
        label="Who seeks consent", max_length=200, error_messages={"required": "Enter who will seek consent"}
    )
    consent_method = forms.CharField(
        label="How consent is sought", max_length=300, error_messages={"required": "Enter how consent will be sought"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _simple(self, "Save support plan")


class ConsentForm(forms.Form):
    under_18 = forms.ChoiceField(
        label="Is the person under 18?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they are under 18"},
    )
    given_by = forms.ChoiceField(
        label="Whose consent",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whose consent this is"},
    )
    state = forms.ChoiceField(
        label="Consent",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given, refused or withdrawn"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import Consent

        self.fields["given_by"].choices = Consent.GivenBy.choices
        self.fields["state"].choices = Consent.State.choices
        self.helper = _simple(self, "Record consent")


class GrantForm(forms.Form):
    """Give access to one provider, or to everyone with the provider role in their organisation."""

    provider = forms.ChoiceField(label="Support provider", error_messages={"required": "Select a support provider"})
    sections = forms.MultipleChoiceField(
        label="Sections they may see",
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one section"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User
        from cases.models import ProviderGrant

        providers = list(
            User.objects.filter(is_active=True, groups__name="support_provider")
            .select_related("organisation")
            .order_by("full_name")
        )
        organisations = sorted({user.organisation for user in providers}, key=lambda organisation: organisation.name)
        self.fields["provider"].choices = [
            ("", "Choose a provider"),
            ("People", [(f"user:{user.pk}", user.full_name) for user in providers]),
            ("Organisations", [(f"org:{org.pk}", f"Everyone at {org.name}") for org in organisations]),
        ]
        self.fields["sections"].choices = ProviderGrant.Section.choices
        self.helper = _simple(self, "Give access")

    def recipients(self) -> dict:
        kind, _, pk = self.cleaned_data["provider"].partition(":")
        return {"user_id": int(pk)} if kind == "user" else {"organisation_id": int(pk)}


class ProgressForm(forms.Form):
    text = forms.CharField(
        label="Progress",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the progress to record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _simple(self, "Record progress")


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome of the review",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome of the review"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import Review

        self.fields["outcome"].choices = Review.Outcome.choices
        self.helper = _simple(self, "Record review")

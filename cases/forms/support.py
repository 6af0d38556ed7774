"""Forms after the decision: the Channel panel, the support plan, consent, provider access, progress, reviews."""

from django import forms

from core.dates import DateField
from core.forms import govuk_fields, govuk_helper
from core.notes import CASE_NOTE_MAX_LENGTH, note_field


def _simple(form, submit):
    return govuk_helper(*govuk_fields(form), submit=submit)


class MeetingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    meets_on = DateField(
        label="Date of the meeting",
        example="14 12 2026",
        help_text="For example, 14 12 2026",
        required_message="Enter the date of the meeting",
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
    note = note_field("Note (optional)", max_length=CASE_NOTE_MAX_LENGTH)

    def __init__(self, *args, under_18: bool | None = None, **kwargs):
        """`under_18` is what the date of birth settles, if it does: then the question is not asked."""
        super().__init__(*args, **kwargs)
        from cases.models import Consent

        self.fields["given_by"].choices = Consent.GivenBy.choices
        self.fields["state"].choices = Consent.State.choices
        self.known_under_18 = under_18
        if under_18 is not None:
            del self.fields["under_18"]
            self.fields["given_by"].help_text = (
                "They are under 18 (from their date of birth): a parent or guardian gives consent."
                if under_18
                else "They are 18 or over (from their date of birth): they give their own consent."
            )
        self.helper = _simple(self, "Record consent")

    def is_under_18(self) -> bool:
        """Under 18: as the date of birth settles it, else as the officer answered."""
        if self.known_under_18 is not None:
            return self.known_under_18
        return self.cleaned_data["under_18"] == "yes"


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
    text = note_field(
        "Progress",
        required_message="Enter the progress to record",
        max_length=CASE_NOTE_MAX_LENGTH,
        what="The progress note",
        rows=4,
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
    note = note_field(
        "Note",
        hint="Optional when the review is due. Before its due date, say why you are reviewing early.",
        max_length=CASE_NOTE_MAX_LENGTH,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import Review

        self.fields["outcome"].choices = Review.Outcome.choices
        self.helper = _simple(self, "Record review")

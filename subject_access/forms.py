"""Input for subject access: the request and its search, the records confirmed, and a withholding."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.search import SearchForm
from core.dates import DateField
from core.forms import govuk_helper
from core.notes import note_field
from subject_access.models import Exemption


class RequestForm(SearchForm):
    """When the request came, how, and the search for the person (terms go by POST and are kept only as a hash)."""

    received_on = DateField(
        label="When was the request received?",
        what="The date received",
        example="27 3 2026",
        help_text="The answer is due one calendar month after this date. For example, 27 3 2026",
        required_message="Enter the date the request was received",
        latest=timezone.localdate,
        too_late="The date the request was received must be today or in the past",
    )
    note = note_field("How the request came and how identity was checked")
    field_order = ["received_on", "note", "name", "date_of_birth", "birth_year", "postcode", "reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("received_on"),
            Field.textarea("note"),
            Fieldset(
                Field.text("name"),
                Field("date_of_birth"),
                Field.text("birth_year", field_width=4),
                Field.text("postcode", field_width=10),
                Field.text("reference", field_width=10),
                legend="Find the person",
                legend_size=Size.MEDIUM,
            ),
            Submit("search", "Find their records"),
        )

    def clean(self):
        cleaned = forms.Form.clean(self)
        terms = ["name", "date_of_birth", "birth_year", "postcode", "reference"]
        if not self.errors and not any(cleaned.get(field) for field in terms):
            self.add_error("name", "Enter at least one thing to search for")
        return cleaned

    def terms(self) -> dict:
        """The search terms alone (what `cases.search` takes and the audit hashes)."""
        return {key: self.cleaned_data.get(key) for key in SearchForm.base_fields}


class RecordsForm(forms.Form):
    referrals = forms.MultipleChoiceField(
        label="Which referrals are about this person?",
        help_text="Their cases, and cases merged into them, are included with them.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the referrals about this person"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = choices
        self.helper = govuk_helper(
            Field.checkboxes("referrals", legend_size=Size.MEDIUM), submit="Confirm these records"
        )


class WithholdForm(forms.Form):
    scope = forms.ChoiceField(
        label="What to withhold",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the whole item or one of its fields"},
    )
    exemption = forms.ChoiceField(
        label="Exemption",
        help_text="Data Protection Act 2018 section 45(4), or other people's data.",
        choices=Exemption.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the exemption that applies"},
    )
    note = note_field(
        "Why the exemption applies",
        required_message="Explain why the exemption applies",
        what="The explanation",
        rows=4,
    )

    WHOLE = "__whole__"

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(self.WHOLE, "The whole item")] + [
            (field["label"], f"Only: {field['label']}") for field in item["fields"]
        ]
        self.helper = govuk_helper(
            Field.radios("scope", legend_size=Size.SMALL),
            Field.radios("exemption", legend_size=Size.SMALL),
            Field.textarea("note"),
            submit="Withhold",
        )

    def field(self) -> str:
        scope = self.cleaned_data["scope"]
        return "" if scope == self.WHOLE else scope

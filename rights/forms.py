"""What a correction and a restriction look like as input: GOV.UK layouts, messages that say what to do."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from core.notes import reason_field
from rights.models import CORRECTABLE
from rights.values import LONG, clean_value

SELECT_FIELD = "Select what is being corrected"


class RectifyForm(forms.Form):
    field = forms.ChoiceField(
        label="What is being corrected?",
        choices=[("", SELECT_FIELD), *[(code, item.label) for code, item in CORRECTABLE.items()]],
        error_messages={"required": SELECT_FIELD, "invalid_choice": SELECT_FIELD},
    )
    value = forms.CharField(
        label="The correct value",
        help_text="For a date of birth, like 27 3 2009. For gender: female, male, another gender or not known.",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the correct value", "max_length": "The correct value is too long"},
    )
    reason = reason_field(
        "Why is the record being corrected?",
        hint="Say who asked and what shows the correct value. Recipients are told a correction was made.",
        required_message="Enter why the record is being corrected",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        submit = Submit("submit", "Save the correction")
        self.helper.layout = Layout(Field.select("field"), Field.textarea("value"), Field.textarea("reason"), submit)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("field") and cleaned.get("value") is not None:
            try:
                cleaned["value"] = clean_value(cleaned["field"], cleaned["value"])
            except forms.ValidationError as error:
                self.add_error("value", error)
        return cleaned


class RestrictionForm(forms.Form):
    reason = reason_field("Reason", required_message="Enter the reason")

    def __init__(self, *args, lifting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        if lifting:
            field.label = "Why is the restriction being lifted?"
            field.error_messages["required"] = "Enter why the restriction is being lifted"
            submit = "Lift the restriction"
        else:
            field.label = "Why is processing being restricted?"
            field.help_text = (
                "For example: the person contests the accuracy of the record while it is checked. Supervisors "
                "see this reason on the case."
            )
            field.error_messages["required"] = "Enter why processing is being restricted"
            submit = "Restrict this case"
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("reason"), Submit("submit", submit))

"""Retention decisions, legal holds and rule changes: the shape of what supervisors and administrators enter."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.dates import DateField
from core.forms import govuk_helper, whole_number
from core.notes import REASON_MAX_LENGTH, reason_field
from retention.models import RetentionRule

NO_PERSON = "Do not write the person's name or details: this stays after the record is erased."


def _reason(label: str, hint: str = NO_PERSON, required: bool = True, message: str = "Give a reason"):
    return reason_field(label, hint=hint, required_message=message if required else None)


class DecisionForm(forms.Form):
    KEEP, ERASE = "keep", "erase"
    decision = forms.ChoiceField(
        label="What should happen to this record?",
        choices=[(KEEP, "Keep it and review it again later"), (ERASE, "Erase it (another supervisor must approve)")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to keep or erase the record"},
    )
    next_review_on = DateField(
        label="Next review date",
        what="The next review date",
        example="1 12 2030",
        help_text="If you keep it. For example, 1 12 2030",
    )
    reason = _reason("Reason for your decision", message="Give a reason for your decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field("next_review_on"),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=REASON_MAX_LENGTH),
            submit="Save decision",
        )

    def clean(self):
        data = super().clean()
        missing = data.get("next_review_on") is None and "next_review_on" not in self.errors
        if data.get("decision") == self.KEEP and missing:
            self.add_error("next_review_on", "Enter the next review date")
        return data


class ApprovalForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label="Do you approve this erasure?",
        choices=[(APPROVE, "Yes, erase the record now"), (REJECT, "No, return it for review")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the erasure"},
    )
    reason = _reason(
        "Reason",
        hint=f"Required if you do not approve. {NO_PERSON}",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=REASON_MAX_LENGTH),
            submit="Save decision",
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", "Explain why you do not approve the erasure")
        return data


class HoldForm(forms.Form):
    reference = forms.CharField(
        label="Case or referral reference",
        help_text="For example, PC-7KQ2M9XD",
        max_length=16,
        error_messages={
            "required": "Enter the case or referral reference",
            "max_length": "Enter a reference like PC-7KQ2M9XD",
        },
    )
    reason = _reason(
        "Why must this record be kept?",
        hint=f"For example, litigation, an inquiry or an investigation. {NO_PERSON}",
        message="Explain why the record must be kept",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("reference", field_width=10),
            Field.textarea("reason", label_size=Size.SMALL, max_characters=REASON_MAX_LENGTH),
            submit="Set legal hold",
        )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class LiftForm(forms.Form):
    reason = _reason("Why can the hold be lifted?", message="Explain why the hold can be lifted")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.textarea("reason", label_size=Size.SMALL, max_characters=REASON_MAX_LENGTH),
            submit="Lift legal hold",
        )


# At most 100 years, whatever the unit: a longer period is a typing slip.
LIMITS = {RetentionRule.Unit.DAYS: 36500, RetentionRule.Unit.MONTHS: 1200, RetentionRule.Unit.YEARS: 100}


class RuleForm(forms.Form):
    period = forms.CharField(
        label="Period before review",
        help_text="A whole number, like 6",
        error_messages={"required": "Enter the period before review"},
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=RetentionRule.Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select days, months or years", "invalid_choice": "Select days, months or years"},
    )
    under_18_period = forms.CharField(
        label="Period for people under 18 at referral (optional)",
        help_text="In the same unit. Leave empty to use the same period as for adults.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("period", field_width=4),
            Field.radios("unit", legend_size=Size.SMALL, inline=True),
            Field.text("under_18_period", field_width=4),
            submit="Save rule",
        )

    def _number(self, name: str, what: str) -> int | None:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        number = whole_number(value, digits=5)
        if number is None or number < 1:
            raise forms.ValidationError(f"Enter {what} as a whole number of 1 or more, like 6")
        return number

    def clean_period(self):
        return self._number("period", "the period")

    def clean_under_18_period(self):
        return self._number("under_18_period", "the period for people under 18")

    def clean(self):
        data = super().clean()
        limit = LIMITS.get(data.get("unit"))
        for name in ("period", "under_18_period"):
            if limit and data.get(name) and data[name] > limit and name not in self.errors:
                self.add_error(name, f"Enter a period of at most {limit} {data['unit']} (100 years)")
        return data

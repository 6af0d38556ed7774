from django import forms

from core.forms import govuk_fields, govuk_helper

EACH = "each"
DAILY = "daily"


class PreferencesForm(forms.Form):
    """Which kinds come by e-mail, and how often. Security e-mails are not offered: they are always on."""

    emails_on = forms.MultipleChoiceField(
        label="Send me an e-mail about",
        help_text="Unticked kinds still appear in your notifications in the service.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=[
            (EACH, "One e-mail for each notification"),
            (DAILY, "One daily digest e-mail with a count of each kind"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often you want e-mails"},
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["emails_on"].choices = kinds
            self.fields["emails_on"].error_messages["invalid_choice"] = "Choose from the kinds listed"
        else:  # a user with no role yet receives only security e-mails
            del self.fields["emails_on"]
        self.helper = govuk_helper(*govuk_fields(self), submit="Save preferences")

    @staticmethod
    def initial_for(preference, kinds) -> dict:
        return {
            "emails_on": [kind for kind, _ in kinds if kind not in preference.emails_off],
            "frequency": DAILY if preference.daily_digest else EACH,
        }

    def emails_off(self) -> list[str]:
        if "emails_on" not in self.fields:
            return []
        return [kind for kind, _ in self.fields["emails_on"].choices if kind not in self.cleaned_data["emails_on"]]

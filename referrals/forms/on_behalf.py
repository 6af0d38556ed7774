"""An officer records a referral a partner gave by phone or email."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from accounts.models import Organisation
from referrals.models import Referral


class OnBehalfForm(forms.Form):
    """An officer records a referral received by phone or email for a partner."""

    organisation = forms.ModelChoiceField(
        label="Which partner organisation made the referral?",
        queryset=Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.POLICE_PREVENT),
        error_messages={
            "required": "Select the partner organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    channel = forms.ChoiceField(
        label="How was it received?",
        choices=[(Referral.Channel.PHONE, "Phone call"), (Referral.Channel.EMAIL, "Email")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the referral was received"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("organisation"), Field.radios("channel", legend_size=Size.SMALL), Submit("submit", "Continue")
        )

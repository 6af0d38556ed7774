"""The public "get in touch" form, and the team's reply to a contact."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from front_door.models import ContactReply, PublicContact

CONCERN_MAX = 5000
SHORT = 200


class ContactForm(forms.Form):
    """What a member of the public tells the team; only the concern and who they are to the person are needed."""

    concern = forms.CharField(
        label="What are you worried about?",
        help_text="Tell us in your own words what you have seen or heard, and when. Do not include anyone's bank "
        "or medical details.",
        max_length=CONCERN_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Tell us what you are worried about",
            "max_length": f"What you are worried about must be {CONCERN_MAX:,} characters or fewer",
        },
    )
    relationship = forms.ChoiceField(
        label="Who are you to the person you are worried about?",
        choices=PublicContact.Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who you are to the person"},
    )
    relationship_other = forms.CharField(
        label="Tell us who you are to them",
        max_length=100,
        required=False,
        error_messages={"max_length": "Who you are to them must be 100 characters or fewer"},
    )
    person_name = forms.CharField(label="Their name (optional)", max_length=SHORT, required=False)
    person_age = forms.CharField(
        label="Their age, or roughly (optional)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"max_length": "Their age must be 20 characters or fewer"},
    )
    person_area = forms.CharField(
        label="Where they live, the town or area (optional)", max_length=SHORT, required=False
    )
    sender_name = forms.CharField(label="Your name (optional)", max_length=SHORT, required=False)
    sender_email = forms.EmailField(
        label="Your email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    sender_phone = forms.CharField(
        label="Your phone number (optional)",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}),
        error_messages={"max_length": "Your phone number must be 30 characters or fewer"},
    )
    # A honeypot: hidden from people (and from screen readers), filled in by bots.
    website = forms.CharField(required=False, label="Leave this empty")
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("person_name", "person_area", "sender_name"):
            self.fields[name].error_messages["max_length"] = (
                f"{self.fields[name].label.split(' (')[0]} must be {SHORT} characters or fewer"
            )
        self.fields["sender_name"].widget.attrs["autocomplete"] = "name"
        self.fields["sender_email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("concern", max_characters=CONCERN_MAX),
            Field.radios("relationship", legend_size=Size.MEDIUM),
            Field.text("relationship_other"),
            Fieldset(
                Field.text("person_name"),
                Field.text("person_age"),
                Field.text("person_area"),
                legend="About the person (optional)",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("sender_name"),
                Field.text("sender_email"),
                Field.text("sender_phone"),
                legend="How we can contact you (optional)",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self):
        data = super().clean()
        if data.get("relationship") == PublicContact.Relationship.OTHER and not data.get("relationship_other"):
            self.add_error("relationship_other", "Tell us who you are to them")
        return data

    def contact_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("website", None)
        data.pop("altcha", None)
        return {name: (value or "").strip() for name, value in data.items()}


class ReplyForm(forms.Form):
    how = forms.ChoiceField(
        label="How did you reply?",
        choices=ContactReply.How.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you replied"},
    )
    body = forms.CharField(
        label="What you told them, or your note",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what you told them",
            "max_length": "Your note must be 10,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("how", legend_size=Size.SMALL), Field.textarea("body"), Submit("submit", "Save reply")
        )

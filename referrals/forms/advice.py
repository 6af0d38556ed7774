"""Advice: a partner asks without naming anyone, an officer replies or records advice given by phone."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms

from referrals.forms.on_behalf import OnBehalfForm


class AdviceForm(forms.Form):
    question = forms.CharField(
        label="What are you worried about?",
        help_text="You do not need to name the person. Tell us what has happened and what you would like advice on.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Tell us what you are worried about"},
    )

    def __init__(self, *args, submit="Send", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("question"), Submit("submit", submit))


class AdviceReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your reply"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("body"))


class PhoneAdviceForm(forms.Form):
    organisation = OnBehalfForm.base_fields["organisation"]
    question = forms.CharField(
        label="What did they ask about?",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what they asked about"},
    )
    advice = forms.CharField(
        label="What advice did you give?",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the advice you gave"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].label = "Which partner organisation asked for advice?"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("organisation"), Field.textarea("question"), Field.textarea("advice"), Submit("submit", "Save")
        )

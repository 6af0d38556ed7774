from crispy_forms_gds.layout import Field, Size
from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import Q

from accounts.closures import NAME_MAX_LENGTH, closure_day_problem
from accounts.models import Organisation, Role, User
from core.dates import DateField
from core.forms import govuk_fields, govuk_helper
from core.notes import REASON_MAX_LENGTH, note_field, reason_field

APPROVAL_HINT = (
    "A supervisor must approve a Prevent officer, supervisor or system administrator role, and a new e-mail "
    "address for a police account, before it applies. Tell them why it is needed (a ticket number helps). "
    "Do not write anything about people referred."
)


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("email"), Field.text("password"), "next", submit="Sign in")


class ForgottenPasswordForm(forms.Form):
    """The address to send a password reset link to (the same answer whether or not an account has it)."""

    email = forms.EmailField(
        label="Email address",
        help_text="The email address you sign in with.",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("email"), submit="Send the link")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app or a backup code"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "text"}),
    )

    def __init__(self, *args, submit="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("code", field_width=10), submit=submit)


def _password_again() -> forms.CharField:
    return forms.CharField(
        label="Your password",
        help_text="We ask again because this changes how you sign in.",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ConfirmPasswordForm(forms.Form):
    """Ask a signed-in user for their password again before a change to how they sign in."""

    password = _password_again()

    def __init__(self, *args, submit="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("password"), submit=submit)


class EnrolForm(forms.Form):
    code = forms.RegexField(
        label="Code from your app",
        help_text="Enter the 6 digits your authenticator app shows for this service.",
        regex=r"^\s*\d{3}\s*\d{3}\s*$",
        error_messages={"required": "Enter the 6-digit code from your app", "invalid": "Enter the code as 6 digits"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args, password_again=False, **kwargs):
        super().__init__(*args, **kwargs)
        fields = [Field.text("code", field_width=5)]
        if password_again:
            # Signed in already: a stolen session must not be enough to replace the second factor.
            self.fields["password"] = _password_again()
            fields.append(Field.text("password"))
        self.helper = govuk_helper(*fields, submit="Confirm")

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "sector", "is_active"]
        labels = {"name": "Name", "kind": "Kind of organisation", "sector": "Sector", "is_active": "Active"}
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "unique": "An organisation with this name already exists",
            },
            "kind": {"required": "Select the kind of organisation"},
            "sector": {"required": "Select the sector"},
        }
        widgets = {"kind": forms.RadioSelect, "sector": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Organisation.Kind.choices
        self.fields["sector"].choices = Organisation.Sector.choices
        fields = [
            Field.text("name"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("sector", legend_size=Size.SMALL),
        ]
        if self.instance.pk is None:
            self.fields.pop("is_active")
        else:
            fields.append(Field.checkbox("is_active"))
        self.helper = govuk_helper(*fields, submit="Save")


class UserForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter the person's full name"}
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages={
            "required": "Enter a work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.filter(is_active=True),
        error_messages={
            "required": "Select the organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )
    is_active = forms.BooleanField(label="Account is active", required=False, initial=True)
    reason = reason_field("Reason, if a supervisor must approve this", hint=APPROVAL_HINT, rows=3)

    def __init__(self, *args, user: User | None = None, **kwargs):
        self.user = user
        if user is not None:
            kwargs.setdefault(
                "initial",
                {
                    "full_name": user.full_name,
                    "email": user.email,
                    "organisation": user.organisation,
                    "roles": user.role_names,
                    "is_active": user.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        if user is not None:
            # Keep offering a deactivated organisation the user already belongs to.
            self.fields["organisation"].queryset = Organisation.objects.filter(
                Q(is_active=True) | Q(pk=user.organisation_id)
            )
        fields = [
            Field.text("full_name"),
            Field.text("email"),
            Field.select("organisation"),
            Field.checkboxes("roles", legend_size=Size.SMALL),
        ]
        if user is not None:
            fields.append(Field.checkbox("is_active"))
        fields.append(Field.textarea("reason", label_size=Size.SMALL))
        self.helper = govuk_helper(*fields, submit="Save")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.user is not None:
            others = others.exclude(pk=self.user.pk)
        if others.exists():
            raise forms.ValidationError("A user with this email address already exists")
        return email

    def cleaned_data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("email", "full_name", "organisation", "roles", "reason")}

    def clean(self):
        cleaned = super().clean()
        organisation, roles = cleaned.get("organisation"), cleaned.get("roles") or []
        if organisation is not None:
            refused = [Role(role).label for role in roles if role not in organisation.allowed_roles]
            if refused:
                self.add_error(
                    "roles", f"A member of {organisation.get_kind_display().lower()} cannot be: {', '.join(refused)}"
                )
        return cleaned


class ResetMfaForm(forms.Form):
    """Confirm a two-factor reset; on a police account, say why for the supervisor who approves it."""

    reason = reason_field(
        "Why does it need resetting?",
        hint="For example, a lost or replaced phone, and how you checked who asked. A supervisor reads this "
        "before approving.",
        required_message="Say why two-factor sign-in needs resetting",
        rows=3,
    )

    def __init__(self, *args, needs_approval: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_approval:
            self.helper = govuk_helper(
                Field.textarea("reason", label_size=Size.SMALL), submit="Ask a supervisor to approve"
            )
        else:
            del self.fields["reason"]
            self.helper = govuk_helper(submit="Reset two-factor sign-in")


class ChangeDecisionForm(forms.Form):
    """A supervisor approves or refuses an administrator's change to an account."""

    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label="Do you approve this change?",
        choices=[(APPROVE, "Yes, make the change now"), (REFUSE, "No, refuse it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you approve the change"},
    )
    note = note_field(
        hint="Required if you refuse: the administrator who asked reads it.", max_length=REASON_MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("decision", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL),
            submit="Save decision",
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("note") or "").strip() and "note" not in self.errors:
            self.add_error("note", "Say why you refuse the change")
        return data


class _GovukPasswordMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(self.fields)
        for name in names:
            self.fields[name].widget.attrs.setdefault("autocomplete", "new-password")
        if "old_password" in self.fields:
            self.fields["old_password"].widget.attrs["autocomplete"] = "current-password"
        self.fields[
            "new_password1"
        ].help_text = (
            "Use at least 12 characters. A few unrelated words make a strong password that is easy to remember."
        )
        self.helper = govuk_helper(*[Field.text(name) for name in names], submit="Save password")


class SetPasswordForm(_GovukPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(_GovukPasswordMixin, auth_forms.PasswordChangeForm):
    pass


class ClosureDayForm(forms.Form):
    day = DateField(
        label="Date",
        what="The date",
        example="24 12 2027",
        help_text="For example, 24 12 2027",
        required_message="Enter the date the team is closed",
    )
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="For example, Team training day",
        error_messages={
            "required": "Enter a name for the closure day",
            "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(*govuk_fields(self), submit="Add closure day")

    def clean_day(self):
        day = self.cleaned_data["day"]
        problem = closure_day_problem(day)
        if problem:
            self.fields["day"].fail(problem)
        return day

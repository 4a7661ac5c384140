from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from .models import User

NAME_REQUIRED = "Please enter a name, even just a first name."


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls signup() after creating the user)."""

    display_name = forms.CharField(
        label="Your name",
        max_length=100,
        help_text="Shown on your certificate. A first name is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": NAME_REQUIRED},
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(NAME_REQUIRED)
        return name

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "relationship", "course_reminders"]
        widgets = {"display_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["display_name"].error_messages["required"] = NAME_REQUIRED
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save profile"))

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(NAME_REQUIRED)
        return name


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To make sure it's really you.",
    )
    confirm = forms.BooleanField(label="I understand this deletes my account, progress and certificates for good.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        delete = Submit("delete", "Delete my account")
        delete.field_classes = "btn btn-danger"
        self.helper.add_input(delete)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct.")
        return password

from django import forms

from .models import User


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls signup() after creating the user)."""

    display_name = forms.CharField(
        label="Your name", max_length=100, help_text="Shown on your certificate. A first name is fine.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user: User) -> None:
        user.display_name = self.cleaned_data["display_name"].strip()
        user.save(update_fields=["display_name"])

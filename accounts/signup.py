"""allauth's sign-up form, made to cost the same whether or not the address already has an account."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # No account is created, but the password is hashed all the same: creating one costs a hash
            # (a quarter of a second), and that gap alone told a known address from a new one.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

"""allauth's own sentences on our sign-in, sign-up, password reset and two-factor pages and emails, listed here so
that our Spanish catalogue carries them (`makemessages` finds them in this file).

allauth ships Spanish, but in places it says "tú" where we say "usted", has a few slips, and says "autenticación de
dos factores" where our pages say "verificación en dos pasos". The project's catalogue (LOCALE_PATHS) outranks an
app's, so these entries replace allauth's wording; every other allauth sentence keeps allauth's Spanish. Each
string must stay exactly as allauth writes it (a changed one would simply stop matching).
"""

from django.utils.translation import gettext_noop

ALLAUTH_WORDING = [
    gettext_noop("Forgot your password?"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Request Code"),
    gettext_noop("Request new code"),
    gettext_noop("We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Password Reset"),
    gettext_noop("Re-send Verification"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup "
        "process. If you do not see the verification email in your main inbox, check your spam folder. "
        "Please contact us if you do not receive the verification email within a few minutes."
    ),
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email address so "
        "you can receive notifications, reset your password, etc."
    ),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("Please select only one."),
    gettext_noop("Use authenticator app or code"),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Your account is protected by two-factor authentication. Please enter an authenticator code:"),
    gettext_noop("Authenticator code"),
    gettext_noop("You cannot add an email address to an account protected by two-factor authentication."),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop("You cannot generate recovery codes without having two-factor authentication enabled."),
    gettext_noop("You cannot activate two-factor authentication until you have verified your email address."),
    gettext_noop("A new set of Two-Factor Authentication recovery codes has been generated."),
    gettext_noop("New Recovery Codes Generated"),
    gettext_noop("Download codes"),
    gettext_noop("Trust this Browser?"),
    gettext_noop(
        "If you choose to trust this browser, you will not be asked for a verification code the next time you sign in."
    ),
    gettext_noop("Your sign-in code is listed below. Please enter it in your open browser window."),
    gettext_noop("This mail can be safely ignored if you did not initiate this action."),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your"
        " user account.\n"
        "It can be safely ignored if you did not request a password reset. Click the link below to reset"
        " your password."
    ),
    gettext_noop("Password Reset Email"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Sign-In Code"),
    gettext_noop(
        "You are receiving this email because you, or someone else, tried to access an account with "
        "email %(email)s. However, we do not have any record of such an account in our database."
    ),
    gettext_noop("If it was you, you can sign up for an account using the link below."),
    gettext_noop(
        "You are receiving this email because you or someone else tried to signup for an\n"
        "account using email address:\n"
        "\n"
        "%(email)s\n"
        "\n"
        "However, an account using that email address already exists.  In case you have\n"
        "forgotten about this, please use the password forgotten procedure to recover\n"
        "your account:\n"
        "\n"
        "%(password_reset_url)s"
    ),
    gettext_noop("Account Already Exists"),
    gettext_noop(
        "If you do not recognize this change then please take proper security precautions immediately. "
        "The change to your account originates from:\n"
        "\n"
        "- IP address: %(ip)s\n"
        "- Browser: %(user_agent)s\n"
        "- Date: %(timestamp)s"
    ),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop("A new set of recovery codes has been generated."),
]

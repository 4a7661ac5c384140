"""The treatment-day checklist of Module 4, as data: the page and the PDF print the same list.

Written for this site from the three Module 4 lessons (before you leave, at the clinic, home for the rest of the
day). The facts follow the Spravato label as the lessons give it; IV ketamine has no label for depression, so
each IV clinic sets its own rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


# The text is translated when it is shown (lazy strings): the page and the PDF print it in their own language.
@dataclass(frozen=True)
class Item:
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]


CHECKLIST: tuple[Section, ...] = (
    Section(
        _("The day before"),
        (
            Item(
                _("A ride home is booked, and a ride there."),
                _(
                    "Your loved one does not drive home. They don't drive or use machinery until the next day, after "
                    "a restful sleep. Spravato's label says so; for IV ketamine, follow the same rule and check it "
                    "with the clinic."
                ),
            ),
            Item(
                _("The session dates are confirmed with the clinic."),
                _(
                    "For planning rides only: Spravato's label schedule for treatment-resistant depression is two "
                    "sessions a week in weeks 1 to 4, one a week in weeks 5 to 8, and from week 9 one a week or one "
                    "every two weeks. The care team sets your loved one's real dates."
                ),
            ),
            Item(
                _("The list of medicines is up to date."),
                _("Every prescription, anything bought over the counter, and supplements."),
            ),
            Item(
                _("Numbers are saved in your phone."),
                _(
                    "The clinic, its after-hours line, 988 (call or text, for a mental health crisis) and 911 (for an "
                    "emergency)."
                ),
            ),
        ),
    ),
    Section(
        _("Before the dose"),
        (
            Item(_("Spravato: nothing to eat in the last 2 hours."), _("A light meal earlier in the day is fine.")),
            Item(_("Spravato: nothing to drink in the last 30 minutes.")),
            Item(_("Spravato: any nasal steroid or decongestant spray at least 1 hour before.")),
            Item(
                _("IV ketamine: the clinic's own food and drink instructions, in writing."),
                _("Each IV clinic sets its own rules. Ask for them and follow them."),
            ),
            Item(
                _("No alcohol today, and no sedatives the care team has not approved."),
                _(
                    "If something slipped, such as a late nasal spray, tell the staff when you arrive and let them decide."
                ),
            ),
        ),
    ),
    Section(
        _("In the bag"),
        (
            Item(_("Photo ID and insurance card.")),
            Item(_("The list of medicines.")),
            Item(_("Headphones with calm music, or an eye mask.")),
            Item(_("Water and a snack for after the session.")),
            Item(_("Something to keep you busy for 2 hours or more, and a phone charger.")),
            Item(_("Their car keys stay at home.")),
        ),
    ),
    Section(
        _("At the clinic"),
        (
            Item(
                _("Spravato: the clinic watches your loved one for at least 2 hours after every dose."),
                _("Two hours is the least, not a countdown. A clinician decides when they are ready to go."),
            ),
            Item(
                _("IV ketamine: ask how long they stay after the drip and who decides they can leave."),
                _("Each IV clinic sets its own recovery rules."),
            ),
            Item(
                _("Tell the staff if your loved one is frightened or confused."),
                _(
                    "Call a nurse at once for chest pain, trouble breathing, a very bad headache, or if they are hard "
                    "to wake."
                ),
            ),
        ),
    ),
    Section(
        _("Home for the rest of the day"),
        (
            Item(
                _("Someone else drives home."),
                _("No driving or machinery until the next day, after a restful sleep, even if they feel fine tonight."),
            ),
            Item(
                _("A quiet afternoon is kept free."),
                _("Rest, a light snack and drinks once any nausea settles, and no big decisions."),
            ),
            Item(_("Someone stays at home or close by.")),
            Item(
                _("Notes on side effects, mood and sleep."),
                _("Your loved one can share them with the care team if they choose."),
            ),
        ),
    ),
)

# Which number for what, from the lesson "Home for the rest of the day".
WHO_TO_CALL: tuple[Item, ...] = (
    Item(
        _("911 for an emergency."),
        _(
            "Chest pain, trouble breathing or very slow breathing, a sudden very bad headache, a seizure, being very "
            "hard to wake, or immediate danger of self-harm."
        ),
    ),
    Item(
        _("988, call or text, for an emotional crisis."),
        _(
            "Thoughts of suicide, or when you are worried and need advice. Free, at any hour, and you can call on "
            "someone else's behalf."
        ),
    ),
    Item(
        _("The clinic for questions that are not urgent."),
        _(
            "Nausea that won't settle or a side effect you are unsure about. Ask ahead whether it has an after-hours line."
        ),
    ),
)

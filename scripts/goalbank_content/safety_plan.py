"""The safety-plan skeleton merge uses when the intake has no safety plan of its own."""

from __future__ import annotations

#: Marks an entry the clinician must complete with the client; merge flags plans carrying it.
TODO = "[Complete with the client]"

#: section (a SafetyPlan field), text. Rows of the same section become one list, in order.
SAFETY_PLAN = (
    (
        "warning_signs",
        f"{TODO} Thoughts, images, moods, situations or behaviors that signal a "
        "crisis may be coming.",
    ),
    (
        "coping_strategies",
        f"{TODO} Things I can do on my own to take my mind off my problems "
        "(e.g. a walk, music, a shower, a grounding exercise).",
    ),
    ("people_and_places", f"{TODO} People and social settings that help distract me."),
    ("people_to_ask", f"{TODO} People I can ask for help, with phone numbers."),
    (
        "professionals",
        "988 Suicide & Crisis Lifeline: call or text 988 (US), or chat at 988lifeline.org.",
    ),
    ("professionals", "Emergency: call 911 or go to the nearest emergency department."),
    ("professionals", f"{TODO} Therapist, prescriber and clinic after-hours numbers."),
    (
        "means_safety",
        f"{TODO} How firearms, medications and other lethal means will be locked "
        "up or held by someone else.",
    ),
    ("reasons_for_living", f"{TODO} The one thing most important to me and worth living for."),
)

"""Other specified and unspecified anxiety disorders (F41.9, F41.8, F41.3, F40.8, F40.9).

A client whose anxiety does not (yet) meet a specific disorder's criteria still needs a goal:
client 2044 (ADHD, F41.9 with a GAD-7 of 10) got none. The problem is written for anxiety
without presuming its form (worry, panic or avoidance): transdiagnostic CBT, relaxation, and
the GAD-7 as the measure (valid as a general anxiety severity screen beyond GAD).
"""

from __future__ import annotations

from .anxiety import MEDS
from .schema import Goal, Problem, S, Tx, down, up

PROBLEMS = (
    Problem(
        "ANX-GENERAL",
        ("ANXIETY-OTHER",),
        "Anxiety symptoms",
        "Anxiety (nervousness, worry, physical tension, or surges of fear or panic in some "
        "situations) on many days that causes distress or gets in the way of work, home or "
        "relationships, without the full picture of a specific anxiety disorder.",
        (
            "anxious",
            "anxiety",
            "nervous",
            "panic",
            "on edge",
            "tense",
            "worry",
            "scared",
            "afraid",
            "stress",
        ),
        (
            Goal(
                "I want to feel calmer and not let anxiety run my day.",
                "Reduce anxiety symptoms, and the distress and avoidance they bring, to a level "
                "that no longer interferes with work, home or relationships.",
                (S("GAD-7", "anxiety symptoms"),),
                (
                    down(
                        "days per week with anxiety of 7 or more (0-10)",
                        "2 or fewer",
                        "a daily anxiety log",
                    ),
                    up(
                        "days per week with a coping skill (paced breathing, relaxation or a "
                        "coping statement) used when anxiety rises",
                        "5 or more",
                        "a daily anxiety log",
                    ),
                    down(
                        "episodes of intense anxiety or panic per week",
                        "1 or fewer",
                        "a daily anxiety log",
                        keywords=("panic", "attack"),
                    ),
                    down(
                        "situations avoided per week because of anxiety",
                        "1 or fewer",
                        "an avoidance log",
                        keywords=("avoid", "put off"),
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Cognitive behavioral therapy for anxiety",
                "Psychoeducation about anxiety, cognitive restructuring of anxious predictions "
                "and graded exposure to the situations avoided.",
                "weekly, 12-16 sessions",
                "Transdiagnostic CBT has research support across anxiety disorders (Unified "
                "Protocol; Barlow et al., 2017).",
            ),
            Tx(
                "Applied relaxation",
                "Progressive muscle relaxation and paced breathing leading to cue-controlled "
                "relaxation used when anxiety rises.",
                "weekly",
                "Research support for anxiety disorders (NICE CG113).",
            ),
            MEDS,
        ),
    ),
)

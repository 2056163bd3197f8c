"""Cross-cutting domains (relationships, work/school, anger, parenting) and safety."""

from __future__ import annotations

from dataclasses import replace

from .schema import Count, Goal, Problem, S, Tx, down, up

PROBLEMS = (
    Problem(
        "RELATIONSHIP-CONFLICT",
        ("RELATIONSHIPS",),
        "Relationship conflict",
        "Frequent arguments, criticism or withdrawal with a partner or family member that "
        "cause distress and do not get resolved.",
        ("argu", "fight", "partner", "marriage", "spouse", "conflict", "communicat"),
        (
            Goal(
                "I want us to be able to talk without it turning into a fight.",
                "Reduce destructive conflict and increase constructive communication and "
                "positive time together.",
                (),
                (
                    down(
                        "arguments per week that escalate to yelling, insults or leaving",
                        "1 or fewer",
                        "a weekly conflict log",
                    ),
                    up(
                        "15-minute couple or family check-ins per week using the agreed skills",
                        "3 or more",
                        "a weekly log",
                    ),
                    up(
                        "planned positive activities together per week", "2 or more", "a weekly log"
                    ),
                    up(
                        "conflicts resolved with an agreed time-out and return within 24 hours",
                        "all escalating conflicts",
                        "a weekly conflict log",
                        baseline="0",
                        phrase="the conflicts resolved with a time-out and return within 24 hours",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Couples therapy",
                "Integrative behavioral or emotionally focused couple "
                "therapy on the conflict cycle.",
                "weekly, 50-minute joint sessions",
                "Research support for relationship distress (APA Division 12).",
            ),
            Tx(
                "Communication skills training",
                "Speaker-listener technique, soft start-up and time-outs.",
                "weekly",
                "Research support (PREP; Markman et al.).",
            ),
        ),
    ),
    Problem(
        "ISOLATION",
        ("RELATIONSHIPS",),
        "Loneliness and social isolation",
        "Few close relationships or social contacts, with loneliness that feeds low mood.",
        ("lonel", "isolat", "alone", "no friends", "withdraw"),
        (
            Goal(
                "I want to have people in my life I can count on.",
                "Build a wider network of social contact and support.",
                (),
                (
                    up(
                        "social contacts per week (calls, visits, shared activities)",
                        "3 or more",
                        "a weekly contact log",
                    ),
                    up(
                        "groups or regular activities joined (class, club, faith group, "
                        "volunteering)",
                        "1 or more",
                        "client report",
                        baseline="0",
                        phrase="the groups or regular activities joined (class, club, faith "
                        "group, volunteering)",
                    ),
                    up(
                        "people named as supports in a written support map",
                        "3 or more",
                        "the written support map",
                        baseline="0",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Interpersonal psychotherapy",
                "Work on interpersonal deficits and building relationships.",
                "weekly",
                "Strong research support for depression.",
            ),
            Tx(
                "Social skills training",
                "Rehearse starting and keeping conversations and making plans.",
                "weekly",
                "Research support across diagnoses.",
            ),
        ),
    ),
    Problem(
        "WORK-FUNCTION",
        ("WORK-SCHOOL",),
        "Reduced work functioning",
        "Absences, lateness, missed tasks or risk of job loss because of symptoms.",
        ("work", "job", "boss", "missed work", "fired", "performance", "sick days"),
        (
            Goal(
                "I want to do my job well again and not worry about losing it.",
                "Restore work attendance and performance.",
                (S("WSAS", "work and social impairment"),),
                (
                    down(
                        "days of work missed per month because of symptoms",
                        "1 or fewer",
                        "a monthly attendance log",
                    ),
                    up(
                        "days per week arriving at work on time",
                        "5 (or every scheduled day)",
                        "a weekly attendance log",
                    ),
                    up(
                        "priority work tasks completed per week",
                        "80% or more",
                        "the weekly task list",
                        phrase="the share of priority work tasks completed per week",
                    ),
                    up(
                        "return-to-work or accommodation steps completed",
                        "3 or more",
                        "the written return-to-work plan",
                        baseline="0",
                        due_days=60,
                        keywords=("leave", "disability", "accommodat"),
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Vocational support",
                "Problem-solve work barriers, plan a graded return or request accommodations.",
                "every 2 weeks",
                "Work-focused CBT speeds return to work (Lagerveld et al., 2012).",
            ),
            Tx(
                "Cognitive behavioral therapy",
                "Address work-related avoidance and perfectionism.",
                "weekly",
                "Strong research support.",
            ),
        ),
    ),
    Problem(
        "SCHOOL-FUNCTION",
        ("WORK-SCHOOL",),
        "Reduced school functioning",
        "Missed classes, late or missing assignments or falling grades because of symptoms.",
        ("school", "class", "grades", "homework", "college", "exam", "assignment", "teacher"),
        (
            Goal(
                "I want to keep up with school and pass my classes.",
                "Restore class attendance and assignment completion.",
                (),
                (
                    down(
                        "classes missed per month", "1 or fewer", "the school's attendance record"
                    ),
                    up(
                        "percentage of assignments turned in on time",
                        "90% or more",
                        "the school portal",
                        phrase="the percentage of assignments turned in on time",
                    ),
                    up("planned study sessions completed per week", "4 or more", "a study planner"),
                    up(
                        "meetings with a teacher, advisor or disability office",
                        "1 or more",
                        "client report",
                        baseline="0",
                        due_days=30,
                        phrase="the meetings with a teacher, advisor or disability office",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Academic skills coaching",
                "Planner use, study blocks and breaking down assignments.",
                "weekly",
                "Supported for students with ADHD and anxiety.",
            ),
            Tx(
                "School consultation",
                "With consent, coordinate accommodations with the school.",
                "once, then as needed",
                "Standard practice.",
            ),
        ),
    ),
    Problem(
        "ANGER",
        ("ANGER",),
        "Anger and outbursts",
        "Frequent or intense anger with yelling, slamming, threats or aggression that harms "
        "relationships, work or legal standing.",
        ("anger", "angry", "temper", "rage", "yell", "snap", "explode", "blow up", "irritab"),
        (
            Goal(
                "I want to stop blowing up at the people I care about.",
                "Reduce angry outbursts and respond to anger with calming and problem-solving "
                "skills.",
                (),
                (
                    down(
                        "angry outbursts per week (yelling, slamming, threats)",
                        "1 or fewer",
                        "an anger log",
                    ),
                    up(
                        "time-outs taken per week when anger reaches 6 of 10",
                        "all escalations",
                        "an anger log",
                        phrase="the time-outs taken when anger reaches 6 of 10",
                    ),
                    down(
                        "average peak anger rating (0-10) per incident",
                        "5 or lower",
                        "an anger log",
                        phrase="the average peak anger rating (0-10) per incident",
                    ),
                    down(
                        "incidents of aggression toward people or property per month",
                        "0",
                        "an anger log",
                    ),
                    up("anger logs completed per week", "5 or more", "the anger log itself"),
                ),
            ),
        ),
        (
            Tx(
                "Anger management",
                "CBT for anger: cue awareness, time-outs, relaxation, "
                "cognitive restructuring and assertive problem solving.",
                "weekly, 12 sessions",
                "Research support for anger problems (SAMHSA anger management manual).",
            ),
            Tx(
                "Mindfulness",
                "Notice early anger cues and pause before acting.",
                "weekly",
                "Modest research support.",
            ),
        ),
    ),
    Problem(
        "PARENTING",
        ("PARENTING",),
        "Parenting stress and child behavior",
        "Frequent conflict with a child, harsh or inconsistent discipline and parenting stress.",
        ("parent", "child", "tantrum", "discipline", "my son", "my daughter", "kids"),
        (
            Goal(
                "I want to enjoy being a parent and have less yelling at home.",
                "Use consistent, positive parenting practices and reduce parent-child conflict.",
                (S("PSS-10", "parenting-related stress"),),
                (
                    up(
                        "days per week with 10 minutes of special time with the child",
                        "5 or more",
                        "a parenting log",
                    ),
                    up(
                        "labeled praises per day",
                        "5 or more",
                        "a parenting log",
                        phrase="the labeled praises given per day",
                    ),
                    down(
                        "times per week yelling at or threatening the child",
                        "1 or fewer",
                        "a parenting log",
                    ),
                    up(
                        "consistent follow-through on a planned consequence",
                        "9 of 10 times",
                        "a parenting log",
                        phrase="the consistency of follow-through on a planned consequence",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Parent management training",
                "Special time, praise, clear commands, planned "
                "ignoring and consistent consequences.",
                "weekly, 10-12 sessions",
                "Strong research support for child behavior problems (Kazdin).",
            ),
            Tx(
                "Parent-child interaction therapy",
                "Coached parent-child play and discipline skills.",
                "weekly, 12-20 sessions",
                "Strong research support (ages 2-7).",
            ),
        ),
    ),
    Problem(
        "SAFETY",
        ("SAFETY",),
        "Suicide risk",
        "Thoughts of suicide or a recent suicide attempt or self-harm that call for a written "
        "safety plan and close monitoring.",
        ("suicid", "kill myself", "end it", "not be here", "overdose"),
        (
            Goal(
                "I want to stay safe and get through the hard moments.",
                "Keep the client safe with a written safety plan, reduced access to lethal "
                "means and regular monitoring of suicide risk.",
                (),
                (
                    Count(
                        "written safety plan",
                        "up",
                        "completed, with a copy kept by the client",
                        "the clinical record",
                        text="Complete a written safety plan (warning signs, coping "
                        "strategies, people and places, people to ask for help, "
                        "professionals and crisis lines, lethal-means safety) with the "
                        "therapist by {target_date} and keep a copy on the phone or wallet "
                        "(baseline: {baseline}).",
                        baseline="no written safety plan",
                        due_days=7,
                    ),
                    Count(
                        "lethal means secured",
                        "up",
                        "all identified means secured",
                        "client and support-person report",
                        text="Confirm by {target_date} that firearms, stockpiled "
                        "medications and other identified lethal means are locked up or "
                        "held by a support person (baseline: {baseline}; target: "
                        "{target}).",
                        baseline="not yet reviewed",
                        due_days=14,
                    ),
                    Count(
                        "days with suicidal thoughts on which a safety-plan step was used",
                        "up",
                        "every such day",
                        "a daily coping log",
                        text="Use at least one step of the safety plan on every day with "
                        "suicidal thoughts, as recorded in a daily coping log and reviewed "
                        "at each session through {target_date} (baseline: {baseline}; "
                        "target: {target}).",
                    ),
                    Count(
                        "sessions with suicide risk screened (C-SSRS)",
                        "up",
                        "every session",
                        "the clinical record",
                        baseline="the intake screen",
                        text="Complete a C-SSRS screen at every session through "
                        "{target_date}, reporting any increase in suicidal thoughts to the "
                        "therapist or a crisis line between sessions (baseline: {baseline}; "
                        "target: {target}).",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Safety planning intervention",
                "Collaborative Stanley-Brown safety plan with lethal-means counseling.",
                "first session, reviewed every session",
                "Reduces suicidal behavior (Stanley et al., 2018).",
            ),
            Tx(
                "Suicide risk monitoring",
                "C-SSRS screen each session and a crisis-line reminder (988).",
                "every session",
                "Joint Commission NPSG 15.01.01.",
            ),
            Tx(
                "CAMS",
                "Collaborative assessment and management of suicidality.",
                "weekly until resolved",
                "Research support for suicidal ideation (Jobes).",
            ),
        ),
    ),
)

#: The client's situation a domain problem presumes: merge plans it only when the intake says
#: the client is employed (work), a student (school) or has children in their care (parenting).
PRESUMES = {
    "WORK-FUNCTION": ("employed",),
    "SCHOOL-FUNCTION": ("student",),
    "PARENTING": ("parent",),
}
PROBLEMS = tuple(replace(p, presumes=PRESUMES.get(p.id, ())) for p in PROBLEMS)

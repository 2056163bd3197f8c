"""Depressive, bipolar, grief and adjustment problems."""

from __future__ import annotations

from .schema import Goal, Problem, S, Tx, down, up

DEPRESSION = ("MDD-SINGLE", "MDD-RECURRENT", "PDD")

PROBLEMS = (
    Problem(
        "DEP-MOOD",
        DEPRESSION + ("ADJUSTMENT",),
        "Depressed mood and loss of interest",
        "Low or sad mood most of the day, loss of interest or pleasure in usual activities, low "
        "energy and withdrawal that interfere with work, home or relationships.",
        ("depress", "sad", "down", "hopeless", "empty", "interest", "enjoy", "numb", "crying"),
        (
            Goal(
                "I want to enjoy things again and feel like myself.",
                "Achieve remission or a clinically meaningful reduction of depressive symptoms "
                "and return to the usual level of daily functioning.",
                (S("PHQ-9", "depressive symptoms"),),
                (
                    up(
                        "days per week with at least 30 minutes of planned pleasant or valued "
                        "activity",
                        "5 or more",
                        "an activity schedule",
                        keywords=("enjoy",),
                    ),
                    up(
                        "days per week out of bed and dressed by 10 a.m.",
                        "6 or more",
                        "a daily mood and activity log",
                        keywords=("bed", "tired"),
                    ),
                    up(
                        "social contacts per week (calls, visits or messages answered)",
                        "3 or more",
                        "a weekly contact log",
                        keywords=("isolat", "alone"),
                    ),
                    up(
                        "weekly average of daily mood ratings (0-10)",
                        "6 or higher",
                        "a daily mood log",
                        phrase="the weekly average of daily mood ratings (0-10)",
                    ),
                    up(
                        "mastery tasks completed per week (chores, errands, paperwork)",
                        "4 or more",
                        "an activity schedule",
                        keywords=("motivation",),
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Behavioral activation",
                "Schedule and complete graded pleasant and valued "
                "activities, tracking their effect on mood.",
                "weekly",
                "Strong research support (APA Division 12); comparable to CBT and medication.",
            ),
            Tx(
                "Cognitive behavioral therapy",
                "Identify and test depressive automatic thoughts "
                "with thought records and behavioral experiments.",
                "weekly",
                "Strong research support for depression (APA Division 12; NICE CG90).",
            ),
            Tx(
                "Psychoeducation about depression",
                "Explain how low mood, withdrawal and inactivity keep each other going, and "
                "the plan to break the cycle, with a family member when the client wishes.",
                "first sessions, then as needed",
                "Standard practice; supports engagement with the other treatments.",
            ),
            Tx(
                "Medication referral",
                "Refer to a prescriber for an antidepressant evaluation "
                "when symptoms are moderately severe or have not responded.",
                "once, then as needed",
                "Combined therapy and medication helps most in severe depression.",
            ),
        ),
    ),
    Problem(
        "DEP-COGNITION",
        DEPRESSION,
        "Negative thinking and self-criticism",
        "Persistent self-critical, hopeless or guilty thoughts that the client accepts as true "
        "and that keep low mood and avoidance going.",
        ("worthless", "guilt", "critic", "failure", "hate myself", "hopeless", "blame"),
        (
            Goal(
                "I want to stop being so hard on myself.",
                "Reduce the frequency and believability of self-critical thoughts and use "
                "balanced, self-compassionate responses.",
                (S("PHQ-9", "depressive symptoms"),),
                (
                    up(
                        "thought records completed per week",
                        "3 or more",
                        "the thought-record worksheets",
                    ),
                    down(
                        "average belief rating (0-100%) in the main self-critical thought",
                        "40% or lower",
                        "the weekly thought record",
                        phrase="the average belief rating (0-100%) in the main self-critical "
                        "thought",
                    ),
                    up(
                        "self-compassion practices completed per week",
                        "4 or more",
                        "a practice log",
                    ),
                    down(
                        "days per week spent ruminating for more than an hour",
                        "2 or fewer",
                        "a daily rumination log",
                        keywords=("ruminat", "overthink"),
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Cognitive behavioral therapy",
                "Cognitive restructuring of self-critical and "
                "hopeless thoughts with thought records.",
                "weekly",
                "Strong research support (APA Division 12).",
            ),
            Tx(
                "Compassion-focused therapy",
                "Practice compassionate self-talk and imagery to answer the inner critic.",
                "weekly",
                "Growing support for high self-criticism (Leaviss & Uttley, 2015).",
            ),
            Tx(
                "Rumination-focused CBT",
                "Shift from abstract brooding to concrete, problem-solving thinking.",
                "weekly",
                "Randomized trials support it for residual depression (Watkins et al., 2011).",
            ),
        ),
    ),
    Problem(
        "DEP-CHRONIC",
        ("PDD", "MDD-RECURRENT"),
        "Chronic low mood and relapse risk",
        "Low mood lasting two years or more, or repeated episodes, with few periods of feeling "
        "well and a high risk of relapse.",
        ("always been", "years", "relapse", "chronic", "episodes"),
        (
            Goal(
                "I want to stay well and catch it early when I start slipping.",
                "Sustain improvement and prevent relapse with a written relapse-prevention plan.",
                (S("PHQ-9", "depressive symptoms"),),
                (
                    up(
                        "relapse-prevention plan sections completed (of 4)",
                        "4",
                        "the written relapse-prevention plan",
                        baseline="0",
                        phrase="the relapse-prevention plan sections completed (warning signs, "
                        "coping steps, supports, when to seek help)",
                    ),
                    up(
                        "mindfulness practices of 10 minutes or more per week",
                        "5 or more",
                        "a practice log",
                    ),
                    up(
                        "weeks per month with at least one planned social activity",
                        "3 or more",
                        "a monthly activity calendar",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Mindfulness-based cognitive therapy",
                "Mindfulness practice and early-warning planning for recurrent depression.",
                "weekly, 8 sessions",
                "Reduces relapse in 3+ prior episodes (NICE; Kuyken et al., 2016).",
            ),
            Tx(
                "CBASP",
                "Situational analysis linking behavior to interpersonal consequences in "
                "chronic depression.",
                "weekly",
                "Designed and tested for chronic depression.",
            ),
            Tx(
                "Interpersonal psychotherapy",
                "Work on role transitions, disputes and isolation that maintain chronic low mood.",
                "weekly",
                "Strong research support for depression (APA Division 12).",
            ),
        ),
    ),
    Problem(
        "BIP-STABILITY",
        ("BIPOLAR-I", "BIPOLAR-II"),
        "Mood episodes and instability",
        "Recurrent episodes of depression and of mania or hypomania (elevated or irritable mood, "
        "less need for sleep, racing thoughts, risky spending or behavior).",
        ("manic", "mania", "hypomani", "mood swing", "racing", "impulsive", "spending"),
        (
            Goal(
                "I want my moods to stay steady so I can keep my life on track.",
                "Maintain mood stability, recognize early warning signs and prevent or shorten "
                "mood episodes.",
                (S("PHQ-9", "depressive symptoms"),),
                (
                    up(
                        "days per week a mood chart is completed", "6 or more", "a daily mood chart"
                    ),
                    up(
                        "days per week prescribed mood-stabilizing medication is taken as directed",
                        "7",
                        "a medication log or pill organizer",
                        keywords=("medication", "meds"),
                    ),
                    up(
                        "nights per week with a bedtime within 1 hour of the planned time",
                        "6 or more",
                        "a sleep diary",
                        keywords=("sleep",),
                    ),
                    up(
                        "early-warning signs written in the relapse-prevention plan",
                        "3 or more",
                        "the written relapse-prevention plan",
                        baseline="0",
                    ),
                    down(
                        "impulsive purchases over $50 per week",
                        "0",
                        "a spending log",
                        keywords=("spend", "money"),
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Psychoeducation (bipolar)",
                "Teach the course of bipolar disorder, triggers, "
                "early warning signs and the role of medication.",
                "weekly for 6 weeks",
                "Group psychoeducation reduces relapse (Colom et al., 2003).",
            ),
            Tx(
                "Interpersonal and social rhythm therapy",
                "Stabilize daily routines and sleep and resolve interpersonal problems.",
                "weekly",
                "Research support for bipolar disorder (APA Division 12).",
            ),
            Tx(
                "Medication referral",
                "Coordinate with the prescriber on mood-stabilizing "
                "medication and report adherence and side effects.",
                "monthly",
                "Mood stabilizers are first-line for bipolar disorder (CANMAT 2018).",
            ),
            Tx(
                "Family-focused therapy",
                "Teach family members about the illness, communication and problem solving.",
                "every 2 weeks",
                "Research support for bipolar disorder (Miklowitz et al., 2007).",
            ),
        ),
    ),
    Problem(
        "BIP-ROUTINE",
        ("BIPOLAR-I", "BIPOLAR-II"),
        "Irregular daily rhythms",
        "Irregular sleep, meal and activity times that destabilize mood.",
        ("routine", "schedule", "night", "shift", "sleep"),
        (
            Goal(
                "I want a routine that keeps me steady.",
                "Keep regular daily rhythms of sleep, meals and activity.",
                (),
                (
                    up(
                        "days per week the Social Rhythm Metric is completed",
                        "5 or more",
                        "the Social Rhythm Metric",
                    ),
                    up(
                        "days per week with wake time within 1 hour of the target time",
                        "6 or more",
                        "a sleep diary",
                    ),
                    up(
                        "days per week with three regular meals",
                        "5 or more",
                        "the Social Rhythm Metric",
                    ),
                    down(
                        "nights per week with less than 6 hours of sleep",
                        "1 or fewer",
                        "a sleep diary",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Interpersonal and social rhythm therapy",
                "Track and regularize daily rhythms with the Social Rhythm Metric.",
                "weekly",
                "Research support for bipolar disorder (Frank et al., 2005).",
            ),
            Tx(
                "Sleep scheduling",
                "Set fixed wake and bed times and protect sleep during early warning signs.",
                "weekly",
                "Sleep loss can trigger mania (CANMAT 2018).",
            ),
        ),
    ),
    Problem(
        "GRIEF",
        ("GRIEF",),
        "Prolonged grief",
        "Intense yearning for or preoccupation with the person who died, lasting 12 months or "
        "more, with emotional pain and difficulty re-engaging in life.",
        ("grief", "loss", "died", "death", "passed away", "widow", "bereave", "miss"),
        (
            Goal(
                "I want to be able to remember them without it taking over my life.",
                "Reduce prolonged grief symptoms and re-engage in meaningful activities and "
                "relationships.",
                (S("PG-13-R", "prolonged grief symptoms"), S("PHQ-9", "depressive symptoms")),
                (
                    up(
                        "valued activities per week that were avoided since the loss",
                        "3 or more",
                        "an activity log",
                    ),
                    down(
                        "hours per day spent preoccupied with the loss",
                        "1 or fewer",
                        "a daily log",
                        phrase="the hours per day spent preoccupied with the loss",
                    ),
                    up("social contacts per week", "3 or more", "a weekly contact log"),
                    up(
                        "reminders of the loss approached per week instead of avoided",
                        "3 or more",
                        "an exposure log",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Prolonged grief disorder therapy",
                "Revisit the story of the death, approach "
                "avoided reminders and restore personal goals.",
                "weekly, 16 sessions",
                "Superior to IPT in randomized trials (Shear et al., 2014, 2016).",
            ),
            Tx(
                "Cognitive behavioral therapy for grief",
                "Address unhelpful beliefs about the loss and graded re-engagement.",
                "weekly",
                "Research support for prolonged grief (Boelen et al., 2007).",
            ),
            Tx(
                "Support group referral",
                "Refer to a bereavement support group.",
                "weekly",
                "Adds social support; not a substitute for treatment.",
            ),
        ),
    ),
    Problem(
        "ADJ-STRESSOR",
        ("ADJUSTMENT",),
        "Difficulty coping with a stressor",
        "Emotional or behavioral symptoms within three months of a stressor (job loss, move, "
        "divorce, illness) that are out of proportion to it or impair functioning.",
        ("stress", "divorce", "job loss", "laid off", "move", "breakup", "diagnos", "cope"),
        (
            Goal(
                "I want to handle what happened and get back on my feet.",
                "Adapt to the stressor, reduce distress and return to usual functioning.",
                (
                    S("PSS-10", "perceived stress"),
                    S("PHQ-9", "depressive symptoms"),
                    S("GAD-7", "anxiety symptoms"),
                ),
                (
                    up(
                        "problem-solving steps completed per week on the stressor",
                        "2 or more",
                        "a problem-solving worksheet",
                    ),
                    up(
                        "days per week a coping skill (relaxation, exercise, talking to a support) "
                        "is used",
                        "5 or more",
                        "a coping log",
                    ),
                    down(
                        "days per week with distress of 7 or more (0-10)",
                        "2 or fewer",
                        "a daily distress log",
                    ),
                    up("days per week with usual responsibilities met", "5 or more", "a daily log"),
                ),
            ),
        ),
        (
            Tx(
                "Problem-solving therapy",
                "Define the problem, generate options, choose, act and review.",
                "weekly, 6-8 sessions",
                "Research support for adjustment and stress (Bell & D'Zurilla, 2009).",
            ),
            Tx(
                "Supportive psychotherapy",
                "Support coping, normalize reactions and mobilize supports.",
                "weekly",
                "Standard care for adjustment disorders.",
            ),
            Tx(
                "Stress management training",
                "Teach relaxation, scheduling and self-care routines.",
                "weekly",
                "Moderate support for stress reduction.",
            ),
        ),
    ),
)

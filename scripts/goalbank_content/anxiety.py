"""Anxiety, obsessive-compulsive and trauma problems."""

from __future__ import annotations

from .schema import Goal, Problem, S, Tx, down, up

MEDS = Tx(
    "Medication referral",
    "Refer to a prescriber for evaluation of an SSRI or SNRI when "
    "symptoms are severe or have not responded to therapy.",
    "once, then as needed",
    "SSRIs/SNRIs are first-line medications for anxiety disorders (NICE CG113).",
)

PROBLEMS = (
    Problem(
        "ANX-WORRY",
        ("GAD", "ADJUSTMENT"),
        "Excessive worry",
        "Excessive, hard-to-control worry about several areas of life on most days, with "
        "restlessness, muscle tension, poor concentration or poor sleep.",
        (
            "worry",
            "anxious",
            "anxiety",
            "nervous",
            "on edge",
            "what if",
            "tense",
            "overthink",
            "checking",
            "reassurance",
        ),
        (
            Goal(
                "I want to stop worrying all the time and be able to relax.",
                "Reduce the frequency and intensity of worry and of the physical symptoms of "
                "anxiety to a level that no longer interferes with daily life.",
                (S("GAD-7", "anxiety symptoms"),),
                (
                    down(
                        "minutes per day spent worrying",
                        "30 or fewer",
                        "a worry log",
                        phrase="the minutes per day spent worrying",
                    ),
                    up(
                        "days per week with worry postponed to a scheduled 20-minute worry period",
                        "5 or more",
                        "a worry log",
                    ),
                    up(
                        "days per week with relaxation practice of 15 minutes or more",
                        "5 or more",
                        "a practice log",
                        keywords=("tense", "relax"),
                    ),
                    down(
                        "reassurance-seeking or checking behaviors per day",
                        "2 or fewer",
                        "a daily tally",
                        keywords=("reassur", "check"),
                    ),
                    down(
                        "days per week with anxiety of 7 or more (0-10)",
                        "2 or fewer",
                        "a daily anxiety log",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Cognitive behavioral therapy for anxiety",
                "Worry awareness, worry postponement, "
                "cognitive restructuring and tolerance of uncertainty.",
                "weekly, 12-16 sessions",
                "Strong research support for GAD (APA Division 12; NICE CG113).",
            ),
            Tx(
                "Applied relaxation",
                "Progressive muscle relaxation leading to cue-controlled "
                "relaxation used in worry situations.",
                "weekly",
                "Research support for GAD comparable to CBT (NICE CG113).",
            ),
            Tx(
                "Acceptance and commitment therapy",
                "Defusion from worry and acting on values despite anxiety.",
                "weekly",
                "Modest research support for GAD.",
            ),
            MEDS,
        ),
    ),
    Problem(
        "PANIC-ATTACKS",
        ("PANIC",),
        "Panic attacks",
        "Recurrent unexpected panic attacks (sudden surges of fear with a racing heart, "
        "breathlessness, dizziness) and persistent worry about further attacks.",
        ("panic", "heart racing", "can't breathe", "dizzy", "attack", "dying"),
        (
            Goal(
                "I want to stop being afraid of having another panic attack.",
                "Reduce the frequency of panic attacks and the fear of bodily sensations.",
                (S("PDSS", "panic symptoms"), S("GAD-7", "anxiety symptoms")),
                (
                    down("panic attacks per week", "1 or fewer", "a daily panic log"),
                    down(
                        "average fear of the next attack (0-10)",
                        "3 or lower",
                        "a daily panic log",
                        phrase="the average fear of the next attack (0-10)",
                    ),
                    up(
                        "interoceptive exposure exercises completed per week",
                        "4 or more",
                        "an exposure log",
                    ),
                    down(
                        "emergency or urgent-care visits for panic per month",
                        "0",
                        "the client's report at each session",
                        phrase="the emergency or urgent-care visits for panic per month",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Panic control treatment",
                "Psychoeducation, interoceptive exposure and "
                "cognitive restructuring of catastrophic misinterpretations.",
                "weekly, 10-12 sessions",
                "Strong research support for panic disorder (APA Division 12).",
            ),
            Tx(
                "Cognitive behavioral therapy",
                "Test catastrophic interpretations of bodily "
                "sensations with behavioral experiments.",
                "weekly",
                "Strong research support (NICE CG113).",
            ),
            MEDS,
        ),
    ),
    Problem(
        "PANIC-AVOID",
        ("PANIC",),
        "Avoidance of feared places (agoraphobia)",
        "Avoiding or enduring with intense fear places where escape or help might be hard "
        "(stores, public transport, crowds, being away from home alone).",
        ("avoid", "leave the house", "crowd", "store", "drive", "bus", "trapped"),
        (
            Goal(
                "I want to be able to go places on my own again.",
                "Reduce avoidance of feared situations and restore independent travel and "
                "activity.",
                (S("PDSS", "panic and avoidance symptoms"),),
                (
                    up(
                        "planned in-vivo exposures completed per week",
                        "3 or more",
                        "an exposure log",
                    ),
                    up(
                        "feared situations on the hierarchy entered without a safety person",
                        "5 or more",
                        "the exposure hierarchy",
                        baseline="0",
                        phrase="the feared situations on the hierarchy entered without a safety "
                        "person",
                    ),
                    down(
                        "trips cancelled per week because of anxiety", "0", "a weekly activity log"
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Exposure therapy",
                "Graded in-vivo exposure to feared places, without safety "
                "behaviors, from a written hierarchy.",
                "weekly",
                "Strong research support for agoraphobia (APA Division 12).",
            ),
            Tx(
                "Cognitive behavioral therapy",
                "Identify and drop safety behaviors and test feared outcomes.",
                "weekly",
                "Strong research support.",
            ),
        ),
    ),
    Problem(
        "SOCIAL-ANXIETY",
        ("SOCIAL",),
        "Social anxiety and avoidance",
        "Marked fear of social or performance situations where the client may be judged, "
        "leading to avoidance or enduring them with intense anxiety.",
        ("social", "shy", "judged", "embarrass", "speak up", "meetings", "people", "public"),
        (
            Goal(
                "I want to be able to talk to people without dreading it.",
                "Reduce social fear and avoidance and increase participation in social, work "
                "and school situations.",
                (S("SPIN", "social anxiety symptoms"),),
                (
                    up("social exposures completed per week", "3 or more", "an exposure log"),
                    up(
                        "times per week speaking up in a meeting, class or group",
                        "2 or more",
                        "a weekly log",
                        keywords=("meeting", "class", "speak"),
                    ),
                    down(
                        "social events declined per month because of anxiety",
                        "1 or fewer",
                        "a monthly activity log",
                    ),
                    up("conversations started per week", "3 or more", "a weekly log"),
                    down(
                        "safety behaviors used per social situation",
                        "1 or fewer",
                        "an exposure log",
                        keywords=("rehears", "avoid eye"),
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Cognitive behavioral group therapy",
                "Graded social exposures with cognitive restructuring in a group.",
                "weekly, 12 sessions",
                "Strong research support (Heimberg; APA Division 12).",
            ),
            Tx(
                "Cognitive behavioral therapy",
                "Individual cognitive therapy for social anxiety: "
                "attention shifting, dropping safety behaviors, video feedback.",
                "weekly",
                "Recommended first-line (NICE CG159; Clark et al., 2006).",
            ),
            MEDS,
            # after the first three: a clinician's "graded exposure" or "parent coaching" takes
            # their rationale (CT-1007); a bank goal plans them only where a therapy above is
            # not offered (the group therapy without a group service)
            Tx(
                "Graded exposure",
                "A fear ladder of feared social situations, from the least to the most feared, "
                "practised in and between sessions without safety behaviours.",
                "weekly",
                "Exposure to feared social situations is central to the CBT NICE CG159 "
                "recommends for social anxiety disorder in adults, children and young people "
                "(Clark et al., 2006).",
            ),
            Tx(
                "Parent coaching",
                "Coach the parents or carers to support the young person's exposure practice "
                "and to step back from reassurance and from accommodating avoidance.",
                "every other week",
                "NICE CG159 advises involving parents or carers in CBT for children and young "
                "people with social anxiety disorder, particularly young children.",
                ages="0-17",
            ),
        ),
    ),
    Problem(
        "PHOBIA",
        ("PHOBIA",),
        "Specific fear and avoidance",
        "Marked fear of a specific object or situation (animals, heights, flying, needles, "
        "blood) that is avoided or endured with intense fear.",
        ("phobia", "afraid of", "fear of", "heights", "flying", "needle", "blood", "spider"),
        (
            Goal(
                "I want to be able to face it without panicking.",
                "Reduce fear and avoidance of the feared object or situation.",
                (),
                (
                    down(
                        "peak fear rating (0-100) during the top hierarchy item",
                        "30 or lower",
                        "an exposure log",
                        phrase="the peak fear rating (0-100) during the top hierarchy item",
                    ),
                    up(
                        "hierarchy steps completed",
                        "8 or more (of 10)",
                        "the exposure hierarchy",
                        baseline="0",
                        phrase="the hierarchy steps completed",
                    ),
                    up("planned exposures completed per week", "3 or more", "an exposure log"),
                    down("situations avoided per month because of the fear", "0", "a monthly log"),
                ),
            ),
        ),
        (
            Tx(
                "Exposure therapy",
                "Graded or one-session in-vivo exposure to the feared object or situation.",
                "weekly, or one 3-hour session",
                "Strong research support; one-session treatment effective (Ost, 1989).",
            ),
            Tx(
                "Applied tension",
                "For blood-injection-injury fear: tense muscles to prevent "
                "fainting during exposure.",
                "weekly",
                "Research support for blood-injection-injury phobia.",
            ),
        ),
    ),
    Problem(
        "OCD",
        ("OCD",),
        "Obsessions and compulsions",
        "Intrusive, unwanted thoughts, images or urges and repetitive behaviors or mental acts "
        "done to reduce the distress, taking more than an hour a day or causing impairment.",
        ("obsess", "compuls", "check", "wash", "clean", "intrusive", "ritual", "contaminat"),
        (
            Goal(
                "I want my life back from the rituals.",
                "Reduce the time spent on obsessions and compulsions and resume avoided "
                "activities.",
                (S("Y-BOCS", "obsessive-compulsive symptoms"),),
                (
                    down(
                        "minutes per day spent on compulsions",
                        "30 or fewer",
                        "a daily ritual log",
                        phrase="the minutes per day spent on compulsions",
                    ),
                    up("planned ERP exposures completed per week", "5 or more", "an ERP log"),
                    down(
                        "reassurance requests to family per day",
                        "1 or fewer",
                        "a daily tally kept with a family member",
                        keywords=("reassur",),
                    ),
                    up(
                        "avoided situations on the hierarchy resumed",
                        "5 or more",
                        "the ERP hierarchy",
                        baseline="0",
                        phrase="the avoided situations on the hierarchy resumed",
                    ),
                    down("days per week late because of rituals", "0", "a daily log"),
                ),
            ),
        ),
        (
            Tx(
                "Exposure and response prevention",
                "Graded exposure to obsessional triggers while refraining from compulsions.",
                "weekly or twice weekly, 12-20 sessions",
                "Strong research support; first-line for OCD (APA Division 12; NICE CG31).",
            ),
            Tx(
                "Family accommodation reduction",
                "Coach family to reduce reassurance and participation in rituals.",
                "every 2 weeks",
                "Lower accommodation predicts better outcome (Lebowitz et al., 2016).",
            ),
            Tx(
                "Medication referral",
                "Refer for SSRI evaluation, especially when OCD is moderate to severe.",
                "once, then as needed",
                "SSRIs are first-line medication for OCD (NICE CG31).",
            ),
        ),
    ),
    Problem(
        "PTSD-INTRUSION",
        ("PTSD",),
        "Trauma memories and reactions",
        "Intrusive memories, nightmares or flashbacks of a traumatic event, with strong "
        "distress or physical reactions to reminders and persistent hyperarousal.",
        ("trauma", "flashback", "nightmare", "assault", "accident", "abuse", "combat", "ptsd"),
        (
            Goal(
                "I want the past to stop running my life.",
                "Reduce PTSD symptoms so that memories of the trauma no longer cause intense "
                "distress or disrupt daily life.",
                (S("PCL-5", "PTSD symptoms"),),
                (
                    down(
                        "days per week with intrusive memories rated 7 or more (0-10)",
                        "2 or fewer",
                        "a daily symptom log",
                    ),
                    down(
                        "nightmares per week",
                        "1 or fewer",
                        "a sleep diary",
                        keywords=("nightmare",),
                    ),
                    up(
                        "trauma-focused sessions attended",
                        "10 or more",
                        "the attendance record",
                        baseline="0",
                        phrase="the trauma-focused sessions attended",
                    ),
                    up(
                        "days per week a grounding skill is used when triggered",
                        "5 or more",
                        "a coping log",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Cognitive processing therapy",
                "Identify and challenge stuck points about the trauma through written worksheets.",
                "weekly, 12 sessions",
                "Strong research support; first-line (VA/DoD 2023; APA 2017).",
                group="trauma-focused therapy",
            ),
            Tx(
                "Prolonged exposure",
                "Imaginal revisiting of the trauma memory and in-vivo exposure to safe reminders.",
                "weekly, 8-15 sessions of 90 minutes",
                "Strong research support; first-line (VA/DoD 2023; APA 2017).",
                group="trauma-focused therapy",
            ),
            Tx(
                "EMDR",
                "Processing of trauma memories with bilateral stimulation.",
                "weekly",
                "Recommended trauma-focused therapy (VA/DoD 2023; WHO 2013).",
                group="trauma-focused therapy",
            ),
            Tx(
                "Imagery rehearsal therapy",
                "Rescript a recurring nightmare and rehearse the new version daily.",
                "weekly, 3-6 sessions",
                "Research support for trauma-related nightmares (AASM 2018).",
            ),
        ),
    ),
    Problem(
        "PTSD-AVOIDANCE",
        ("PTSD",),
        "Avoidance and withdrawal after trauma",
        "Avoidance of trauma reminders, people and places, with detachment, negative beliefs "
        "about self and world, and a narrowed life.",
        ("avoid", "detach", "numb", "unsafe", "trust", "withdraw", "hypervigil"),
        (
            Goal(
                "I want to feel safe going out and being close to people again.",
                "Reduce avoidance and restore valued activities and relationships.",
                (S("PCL-5", "PTSD symptoms"),),
                (
                    up(
                        "safe but avoided reminders approached per week",
                        "3 or more",
                        "an in-vivo exposure log",
                    ),
                    up(
                        "activities per week with trusted people",
                        "2 or more",
                        "a weekly activity log",
                    ),
                    down(
                        "average belief rating (0-100%) in the main stuck point",
                        "30% or lower",
                        "the CPT worksheets",
                        phrase="the average belief rating (0-100%) in the main stuck point",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Prolonged exposure",
                "In-vivo exposure to safe situations avoided since the trauma.",
                "weekly",
                "Strong research support (APA 2017).",
                group="trauma-focused therapy",
            ),
            Tx(
                "Cognitive processing therapy",
                "Work on stuck points about safety, trust, power, esteem and intimacy.",
                "weekly",
                "Strong research support (APA 2017).",
                group="trauma-focused therapy",
            ),
        ),
    ),
)

"""ADHD, substance use, insomnia, eating, borderline-trait and psychosis problems."""

from __future__ import annotations

from .schema import Count, Goal, Problem, S, Tx, down, medication_check, up

SUBSTANCE = ("ALCOHOL", "CANNABIS", "OPIOID")

PROBLEMS = (
    Problem(
        "ADHD-ORGANIZATION",
        ("ADHD",),
        "Inattention and disorganization",
        "Difficulty sustaining attention, organizing tasks, keeping track of belongings and "
        "finishing work, causing missed deadlines and conflict at work, school or home.",
        (
            "focus",
            "attention",
            "distract",
            "disorganiz",
            "forget",
            "deadline",
            "procrastin",
            "adhd",
        ),
        (
            Goal(
                "I want to get things done without everything slipping through the cracks.",
                "Use organizational and planning systems that reduce the impact of "
                "inattention on work, school and home.",
                (S("ASRS", "ADHD symptoms"),),
                (
                    up(
                        "days per week the planner is reviewed morning and evening",
                        "5 or more",
                        "the planner itself",
                    ),
                    down(
                        "missed deadlines or appointments per month",
                        "1 or fewer",
                        "a monthly calendar review",
                    ),
                    up(
                        "percentage of planned daily tasks completed",
                        "70% or more",
                        "the daily task list",
                        phrase="the percentage of planned daily tasks completed",
                    ),
                    down(
                        "times per week an important item is lost or misplaced",
                        "1 or fewer",
                        "a weekly log",
                        keywords=("lose", "lost", "keys"),
                    ),
                ),
            ),
            Goal(
                "I want to stop putting everything off until the last minute.",
                "Reduce procrastination by breaking tasks into steps and starting on time.",
                (),
                (
                    up(
                        "tasks started within a day of the planned start time per week",
                        "4 or more",
                        "the daily task list",
                        keywords=("procrastin",),
                    ),
                    up(
                        "work or study blocks of 25 minutes completed per day",
                        "4 or more",
                        "a timer log",
                    ),
                    down(
                        "hours per day of unplanned screen time",
                        "2 or fewer",
                        "the phone's screen-time report",
                        phrase="the hours per day of unplanned screen time",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "CBT for adult ADHD",
                "Planner use, task breakdown, reducing distractibility and "
                "addressing procrastination thoughts.",
                "weekly, 12 sessions",
                "Research support for adult ADHD (Safren et al., 2010).",
            ),
            Tx(
                "Organizational skills training",
                "Set up a single calendar, task list and reminder system and review it weekly.",
                "weekly",
                "Research support for adults with ADHD (Solanto et al., 2010); an adjunct to "
                "medication in NICE NG87.",
            ),
            Tx(
                "Medication referral",
                "Refer to a prescriber for ADHD medication evaluation.",
                "once, then as needed",
                "Stimulants are first-line for adult ADHD (NICE NG87).",
            ),
        ),
    ),
    Problem(
        "ALCOHOL",
        ("ALCOHOL",),
        "Harmful drinking",
        "A pattern of drinking that causes health, work or relationship problems, with "
        "cravings, drinking more than intended or failed attempts to cut down.",
        ("drink", "alcohol", "beer", "wine", "liquor", "drunk", "hangover", "dui"),
        (
            Goal(
                "I want to get my drinking under control.",
                "Reach and keep the drinking goal agreed with the clinician (abstinence or "
                "low-risk drinking) and reduce alcohol-related harm.",
                (S("AUDIT-C", "alcohol use"),),
                (
                    down(
                        "drinking days per week",
                        "2 or fewer (or 0 for abstinence)",
                        "a daily drinking diary",
                    ),
                    down(
                        "heavy-drinking days per month (4+ drinks for women, 5+ for men)",
                        "0",
                        "a daily drinking diary",
                    ),
                    down(
                        "average standard drinks per drinking day",
                        "2 or fewer",
                        "a daily drinking diary",
                        phrase="the average standard drinks per drinking day",
                    ),
                    up(
                        "high-risk situations handled without drinking per week",
                        "3 or more",
                        "a trigger log",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Motivational interviewing",
                "Explore ambivalence, strengthen reasons for change and agree on a drinking goal.",
                "weekly, 2-4 sessions, then as needed",
                "Strong research support for alcohol use (APA Division 12; NIAAA).",
            ),
            Tx(
                "CBT for substance use",
                "Functional analysis of drinking, coping with cravings and refusal skills.",
                "weekly, 12 sessions",
                "Strong research support (APA Division 12).",
            ),
            Tx(
                "Medication referral",
                "Refer for evaluation of naltrexone, acamprosate or disulfiram.",
                "once, then as needed",
                "FDA-approved medications reduce heavy drinking (APA guideline 2018).",
            ),
        ),
    ),
    Problem(
        "SUD-RECOVERY",
        SUBSTANCE,
        "Relapse risk and recovery supports",
        "Cravings, high-risk people and places, and few sober supports that put recovery at risk.",
        ("relapse", "craving", "sober", "recovery", "meeting", "sponsor", "use again"),
        (
            Goal(
                "I want to build a life where I don't need to use.",
                "Sustain recovery with a relapse-prevention plan, sober supports and sober "
                "activities.",
                (),
                (
                    up(
                        "mutual-help or recovery-support meetings attended per week",
                        "2 or more",
                        "a meeting attendance log",
                    ),
                    up(
                        "sober supports listed in the relapse-prevention plan with phone numbers",
                        "3 or more",
                        "the written relapse-prevention plan",
                        baseline="0",
                        phrase="the sober supports listed in the "
                        "relapse-prevention plan with phone numbers",
                    ),
                    up(
                        "cravings per week managed with a coping skill without use",
                        "all cravings",
                        "a craving log",
                    ),
                    up("sober leisure activities per week", "3 or more", "an activity log"),
                ),
            ),
        ),
        (
            Tx(
                "Relapse prevention",
                "Identify high-risk situations and rehearse coping responses; plan for lapses.",
                "weekly",
                "Research support for substance use (Marlatt; APA Division 12).",
            ),
            Tx(
                "Mutual-help facilitation",
                "Link to AA, NA, SMART Recovery or other peer support and review attendance.",
                "weekly",
                "Twelve-step facilitation improves abstinence (Cochrane 2020).",
            ),
            Tx(
                "Contingency management",
                "Tangible rewards for verified abstinence.",
                "weekly, 12 weeks",
                "Strong research support for stimulants and cannabis.",
            ),
        ),
    ),
    Problem(
        "CANNABIS",
        ("CANNABIS",),
        "Problematic cannabis use",
        "Cannabis use that is more frequent than intended and that interferes with motivation, "
        "work, school, memory or relationships.",
        ("cannabis", "marijuana", "weed", "pot", "smoke", "high", "thc", "vape"),
        (
            Goal(
                "I want to cut back on smoking weed so I can get my life moving.",
                "Reduce or stop cannabis use and restore functioning.",
                (S("CUDIT-R", "cannabis use"),),
                (
                    down(
                        "days per week with cannabis use",
                        "2 or fewer (or 0 for abstinence)",
                        "a daily use diary",
                    ),
                    down(
                        "uses per using day",
                        "1",
                        "a daily use diary",
                        phrase="the uses per using day",
                    ),
                    up(
                        "days per week with use delayed until after obligations are done",
                        "5 or more",
                        "a daily use diary",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Motivational interviewing",
                "Motivational enhancement: personalized feedback and a change plan.",
                "weekly, 2-4 sessions",
                "Research support for cannabis use disorder (MET/CBT trials).",
            ),
            Tx(
                "CBT for substance use",
                "Coping with cravings, refusing offers and replacing use with other activities.",
                "weekly, 9-12 sessions",
                "Research support (Marijuana Treatment Project, 2004).",
            ),
            Tx(
                "Contingency management",
                "Rewards for cannabis-negative urine tests.",
                "weekly",
                "Strongest effect on abstinence when added to MET/CBT.",
            ),
        ),
    ),
    Problem(
        "OPIOID",
        ("OPIOID",),
        "Opioid use and overdose risk",
        "Use of opioids beyond prescription or of illicit opioids, with cravings, withdrawal "
        "and a risk of overdose.",
        ("opioid", "heroin", "fentanyl", "pills", "oxy", "withdrawal", "overdose", "suboxone"),
        (
            Goal(
                "I want to stay alive and stop chasing the next dose.",
                "Stop illicit opioid use, stay engaged in medication treatment and reduce "
                "overdose risk.",
                (),
                (
                    up(
                        "days per week medication for opioid use disorder is taken as prescribed",
                        "7",
                        "the prescriber's record and client report",
                    ),
                    down(
                        "days per month with illicit opioid use",
                        "0",
                        "a daily use diary and urine drug screens",
                    ),
                    up(
                        "urine drug screens negative for illicit opioids (of the last 4)",
                        "4 of 4",
                        "the clinic's test results",
                        baseline="the first 4 results",
                        phrase="the urine drug screens negative for illicit opioids (of the "
                        "last 4)",
                    ),
                    up(
                        "naloxone kits carried and household members trained",
                        "1 kit carried and 1 person trained",
                        "client report",
                        baseline="no kit",
                        due_days=14,
                        text="Carry a naloxone kit and have at least one household member "
                        "trained to use it by {target_date} (baseline: {baseline}; target: "
                        "{target}).",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Medication referral",
                "Refer to a buprenorphine or methadone provider and coordinate care.",
                "once, then monthly coordination",
                "MOUD halves overdose mortality (SAMHSA TIP 63).",
                practice=medication_check("a buprenorphine or methadone prescriber"),
            ),
            Tx(
                "Motivational interviewing",
                "Strengthen commitment to treatment and overdose-prevention steps.",
                "weekly",
                "Research support for engagement in treatment.",
            ),
            Tx(
                "Relapse prevention",
                "Coping with cravings, triggers and lapses; overdose education.",
                "weekly",
                "Research support (APA Division 12).",
            ),
        ),
    ),
    Problem(
        "INSOMNIA",
        ("INSOMNIA", "SLEEP"),
        "Insomnia",
        "Difficulty falling or staying asleep or waking too early at least three nights a "
        "week, with daytime fatigue, poor concentration or irritability.",
        ("sleep", "insomnia", "awake", "can't fall asleep", "tired", "exhausted", "night"),
        (
            Goal(
                "I want to sleep through the night and wake up rested.",
                "Restore consolidated, restful sleep and reduce daytime impairment.",
                (S("ISI", "insomnia severity"),),
                (
                    up(
                        "nights per week with 6 or more hours of sleep",
                        "5 or more",
                        "a sleep diary",
                    ),
                    down(
                        "average minutes to fall asleep",
                        "30 or fewer",
                        "a sleep diary",
                        phrase="the average minutes to fall asleep",
                    ),
                    up(
                        "average sleep efficiency (time asleep / time in bed)",
                        "85% or more",
                        "a sleep diary",
                        phrase="the average sleep efficiency (time asleep / time in bed)",
                    ),
                    down(
                        "nights per week with more than 30 minutes awake after sleep onset",
                        "2 or fewer",
                        "a sleep diary",
                    ),
                    up(
                        "days per week out of bed at the fixed wake time",
                        "6 or more",
                        "a sleep diary",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "CBT for insomnia",
                "Sleep restriction, stimulus control, cognitive work on "
                "sleep worries and a sleep diary.",
                "weekly, 6-8 sessions",
                "First-line treatment for chronic insomnia (ACP 2016; AASM 2021).",
            ),
            Tx(
                "Sleep hygiene education",
                "Caffeine, alcohol, screens, light and a wind-down routine.",
                "once, reviewed weekly",
                "Useful as part of CBT-I; weak on its own (AASM 2021).",
            ),
            Tx(
                "Mindfulness",
                "Mindfulness practice for pre-sleep arousal.",
                "weekly",
                "Modest research support for insomnia.",
            ),
        ),
    ),
    Problem(
        "BINGE-EATING",
        ("BED", "BULIMIA"),
        "Binge eating",
        "Recurrent episodes of eating an unusually large amount of food with a sense of loss "
        "of control, followed by distress, shame or guilt.",
        ("binge", "overeat", "eating", "food", "weight", "out of control", "shame"),
        (
            Goal(
                "I want to feel in control around food.",
                "Stop or markedly reduce binge episodes and establish regular eating.",
                (),
                (
                    down("binge episodes per week", "1 or fewer", "a food and mood diary"),
                    up(
                        "days per week with regular eating (3 meals and 2-3 planned snacks)",
                        "5 or more",
                        "a food and mood diary",
                    ),
                    up(
                        "urges to binge per week met with an alternative activity",
                        "3 or more",
                        "a food and mood diary",
                    ),
                    down("days per week skipping meals", "1 or fewer", "a food and mood diary"),
                ),
            ),
        ),
        (
            Tx(
                "CBT-E",
                "Enhanced CBT: self-monitoring, regular eating and addressing shape and "
                "weight concerns.",
                "weekly, 20 sessions",
                "First-line for bulimia and binge-eating disorder (NICE NG69).",
            ),
            Tx(
                "Interpersonal psychotherapy",
                "Address interpersonal problems that trigger binge eating.",
                "weekly",
                "Research support for binge-eating disorder.",
            ),
            Tx(
                "Medical monitoring referral",
                "Refer to a primary-care provider for physical health monitoring.",
                "once, then as needed",
                "Recommended for all eating disorders (NICE NG69).",
            ),
        ),
    ),
    Problem(
        "PURGING",
        ("BULIMIA",),
        "Compensatory behaviors",
        "Self-induced vomiting, misuse of laxatives or diuretics, fasting or excessive "
        "exercise to compensate for eating.",
        ("vomit", "purge", "laxative", "throw up", "fast", "compensat"),
        (
            Goal(
                "I want to stop making myself sick after I eat.",
                "Stop compensatory behaviors and keep medical risk low.",
                (),
                (
                    down("purging episodes per week", "0", "a food and mood diary"),
                    down(
                        "days per week with laxative or diuretic misuse",
                        "0",
                        "a food and mood diary",
                    ),
                    up(
                        "medical check-ins with the primary-care provider completed",
                        "1 or more",
                        "the referral record",
                        baseline="0",
                        due_days=30,
                        phrase="the medical check-ins (electrolytes) with the primary-care "
                        "provider completed",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "CBT-E",
                "Weekly weighing in session, regular eating and delay of the urge to purge.",
                "weekly, 20 sessions",
                "First-line for bulimia (NICE NG69).",
            ),
            Tx(
                "Medication referral",
                "Refer for fluoxetine evaluation.",
                "once, then as needed",
                "FDA-approved for bulimia nervosa.",
            ),
        ),
    ),
    Problem(
        "EMOTION-DYSREGULATION",
        ("BPD",),
        "Emotion dysregulation",
        "Intense, rapidly shifting emotions that are hard to bring down, with impulsive "
        "actions taken to escape them.",
        ("intense", "emotion", "overwhelm", "rage", "impulsive", "empty", "mood swing"),
        (
            Goal(
                "I want to handle my emotions without everything blowing up.",
                "Use emotion-regulation and distress-tolerance skills in place of impulsive "
                "behavior.",
                (S("DERS-16", "emotion-regulation difficulties"),),
                (
                    up(
                        "days per week with at least one DBT skill used, per the diary card",
                        "5 or more",
                        "the DBT diary card",
                    ),
                    down(
                        "impulsive behaviors per week (per the diary card)",
                        "1 or fewer",
                        "the DBT diary card",
                    ),
                    down(
                        "days per week with emotion intensity of 8 or more (0-10)",
                        "2 or fewer",
                        "the DBT diary card",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "DBT skills training",
                "Mindfulness, distress tolerance, emotion regulation and "
                "interpersonal effectiveness skills.",
                "weekly, 2.5-hour group",
                "Strong research support for BPD (APA Division 12; Linehan, 2015).",
            ),
            Tx(
                "DBT individual therapy",
                "Diary card review and chain analysis of target behaviors.",
                "weekly",
                "Strong research support for BPD.",
            ),
        ),
    ),
    Problem(
        "SELF-HARM",
        ("BPD",),
        "Self-harm",
        "Non-suicidal self-injury (cutting, burning, hitting) used to escape or regulate "
        "intense emotion.",
        ("self-harm", "cutting", "cut myself", "burn", "hurt myself", "self injur"),
        (
            Goal(
                "I want to stop hurting myself when things get bad.",
                "Stop self-harm and replace it with skills.",
                (),
                (
                    down("episodes of self-harm per month", "0", "the DBT diary card"),
                    up(
                        "urges to self-harm per week ridden out with a distress-tolerance skill",
                        "all urges",
                        "the DBT diary card",
                    ),
                    up(
                        "chain analyses completed after a self-harm urge or act",
                        "1 per episode",
                        "the DBT diary card",
                        baseline="0",
                        phrase="the chain analyses completed after a self-harm urge or act",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "DBT individual therapy",
                "Chain analysis of each episode and solution analysis.",
                "weekly",
                "Reduces self-harm (Linehan et al., 2006).",
            ),
            Tx(
                "DBT skills training",
                "Distress-tolerance skills (TIP, self-soothe, distraction).",
                "weekly",
                "Strong research support.",
            ),
        ),
    ),
    Problem(
        "UNSTABLE-RELATIONSHIPS",
        ("BPD", "RELATIONSHIPS"),
        "Unstable relationships",
        "A pattern of intense, unstable relationships with fear of abandonment and swings "
        "between closeness and conflict.",
        ("abandon", "relationship", "partner", "fight", "breakup", "clingy", "push away"),
        (
            Goal(
                "I want relationships that don't fall apart.",
                "Build steadier relationships through interpersonal effectiveness skills.",
                (),
                (
                    up(
                        "requests or refusals made with DEAR MAN per week",
                        "2 or more",
                        "the DBT diary card",
                    ),
                    down(
                        "conflicts per week that escalate to yelling or leaving",
                        "1 or fewer",
                        "a weekly log",
                    ),
                    up(
                        "repair conversations after a conflict",
                        "1 per conflict",
                        "a weekly log",
                        phrase="the repair conversations held after a conflict",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "DBT skills training",
                "Interpersonal effectiveness: DEAR MAN, GIVE and FAST.",
                "weekly",
                "Strong research support.",
            ),
            Tx(
                "Mentalization-based treatment",
                "Understand own and others' mental states in relationships.",
                "weekly",
                "Research support for BPD (Bateman & Fonagy).",
                requires=("BPD",),
            ),
        ),
    ),
    Problem(
        "PSYCHOSIS",
        ("PSYCHOSIS",),
        "Distressing psychotic symptoms",
        "Hearing voices, unusual or suspicious beliefs, or disorganized thinking that cause "
        "distress or interfere with daily life, managed in outpatient care.",
        ("voices", "paranoi", "hallucinat", "psychos", "suspicious", "schizo", "delusion"),
        (
            Goal(
                "I want the voices to bother me less so I can live my life.",
                "Reduce the distress and interference of psychotic symptoms and prevent relapse.",
                (),
                (
                    down(
                        "average daily distress from voices or suspicious thoughts (0-10)",
                        "4 or lower",
                        "a daily symptom log",
                        phrase="the average daily "
                        "distress from voices or suspicious thoughts (0-10)",
                    ),
                    up(
                        "days per week prescribed antipsychotic medication is taken as directed",
                        "7",
                        "a medication log or pill organizer",
                    ),
                    up(
                        "early-warning signs written in the relapse-prevention plan",
                        "3 or more",
                        "the written relapse-prevention plan",
                        baseline="0",
                    ),
                    up("coping strategies for voices used per week", "4 or more", "a coping log"),
                ),
            ),
        ),
        (
            Tx(
                "CBT for psychosis",
                "Normalize and test beliefs about voices and suspicious "
                "thoughts; build coping strategies.",
                "weekly, 16 sessions",
                "Recommended for psychosis (NICE CG178).",
            ),
            Tx(
                "Medication referral",
                "Coordinate with the psychiatric prescriber on "
                "antipsychotic medication and side effects.",
                "monthly",
                "Antipsychotics reduce relapse (NICE CG178).",
            ),
            Tx(
                "Family psychoeducation",
                "Teach the family about the illness, early warning "
                "signs and low-stress communication.",
                "every 2 weeks",
                "Reduces relapse and admission (NICE CG178).",
            ),
        ),
    ),
    Problem(
        "PSYCHOSIS-FUNCTION",
        ("PSYCHOSIS",),
        "Daily functioning and community participation",
        "Reduced self-care, structure, social contact and work or school participation "
        "because of the illness.",
        ("hygiene", "isolat", "job", "friends", "structure", "day program"),
        (
            Goal(
                "I want to have a routine, friends and something to do during the day.",
                "Increase daily structure, social contact and participation in work, school or "
                "a day program.",
                (S("WSAS", "functional impairment"),),
                (
                    up(
                        "days per week with a structured activity (work, class, day program, "
                        "volunteering)",
                        "3 or more",
                        "a weekly activity log",
                    ),
                    up("social contacts per week", "3 or more", "a weekly contact log"),
                    up(
                        "days per week with self-care tasks completed (shower, meals, medication)",
                        "6 or more",
                        "a daily checklist",
                    ),
                ),
            ),
        ),
        (
            Tx(
                "Illness management and recovery",
                "Recovery goals, relapse prevention and coping skills.",
                "weekly",
                "Evidence-based practice (SAMHSA).",
            ),
            Tx(
                "Social skills training",
                "Role-play of conversation and assertiveness skills.",
                "weekly",
                "Research support for schizophrenia (APA Division 12).",
            ),
            Tx(
                "Supported employment referral",
                "Refer to an IPS supported-employment program.",
                "once, then as needed",
                "IPS doubles competitive employment (Cochrane 2013).",
                practice=Count(
                    "IPS intake appointments attended",
                    "up",
                    "1",
                    "the referral record",
                    baseline="0",
                    due_days=30,
                    text="Attend an intake with the IPS supported-employment "
                    "program by {target_date} (baseline: {baseline}; target: "
                    "{target} appointment attended).",
                ),
            ),
        ),
    ),
)

"""The client copy's word lists: clinical terms and the everyday words a client reads instead.

Kept apart from the rules that apply them (pipeline/writers/plain.py), so the lists can grow
(every goal-bank objective a client reads: tests/writers/test_client_copy_bank.py) without the
module that rewrites objectives growing with them. Plain tables, no code.
"""

from __future__ import annotations

#: Instrument names a client copy replaces with plain words.
INSTRUMENTS = {
    "PHQ-9": "mood questionnaire",
    "GAD-7": "worry questionnaire",
    "PCL-5": "stress questionnaire",
    "AUDIT-C": "drinking questionnaire",
    "C-SSRS": "safety questions",
    "SUDS": "fear rating",
}
#: Every questionnaire the goal bank scores, by the plain name an objective on it is given
#: ("Your sleep questionnaire score is 18 now."); only the objective's own measure is looked
#: up here, never a word in running text.
SCORED = {
    **INSTRUMENTS,
    "ASRS": "attention questionnaire",
    "CUDIT-R": "cannabis questionnaire",
    "DERS-16": "feelings questionnaire",
    "ISI": "sleep questionnaire",
    "PDSS": "panic questionnaire",
    "PG-13-R": "grief questionnaire",
    "PSS-10": "everyday stress questionnaire",
    "SPIN": "social worry questionnaire",
    "WSAS": "daily life questionnaire",
    "Y-BOCS": "OCD questionnaire",
}

#: Clinical words and their plain replacements (longest first when applied; case-insensitive).
PLAIN = {
    **INSTRUMENTS,
    "depressive symptoms": "low mood",
    "anxiety symptoms": "worry",
    "symptoms": "how you feel",
    "lethal-means safety": "keeping dangerous things away",
    "lethal means": "dangerous things",
    "firearms": "guns",
    "stockpiled medications": "extra pills",
    "identified": "",
    "suicidal thoughts": "thoughts of ending your life",
    "suicidal ideation": "thoughts of ending your life",
    "worry-postponement routine": "set worry time",
    "worry-postponement exercise": "set worry time",
    "sleep efficiency (time asleep / time in bed)": "time in bed spent asleep",
    "sleep efficiency": "time in bed spent asleep",
    "in-vivo exposures": "practice facing fears",
    "in-vivo exposure": "practice facing fears",
    "social exposures": "practice in social settings",
    "exposures": "practice facing fears",
    "exposure log": "practice log",
    "exposure hierarchy": "fear ladder",
    "feared situations on the hierarchy": "steps on your fear ladder",
    "safety person": "helper",
    "safe but avoided reminders": "safe reminders you avoid",
    "stuck point": "stuck thought",
    "belief rating (0-100%)": "how much you believe",
    "belief rating": "how much you believe",
    "behavioral activation": "doing more things you enjoy",
    "cognitive restructuring": "changing unhelpful thoughts",
    "problem-solving steps completed per week on the stressor": (
        "steps taken a week to solve what is stressing you"
    ),
    "requests or refusals made with DEAR MAN per week": "times a week you ask for what you "
    "need or say no",
    "repair conversations held after a conflict": "talks to make up after a conflict",
    "safe but avoided reminders approached per week": "times a week you face a safe reminder "
    "you usually avoid",
    "time-outs taken when anger reaches 6 of 10": "time-outs taken when your anger reaches 6 "
    "out of 10",
    "all escalations": "every time",
    "problem-solving steps": "steps to solve the problem",
    "on the stressor": "on what is stressing you",
    "repair conversations": "talks to make up",
    "DEAR MAN": "a way to ask for what you need",
    "DBT diary card": "diary card",
    "CPT worksheets": "worksheets",
    "abstinence": "no drinking",
    "recovery meetings": "support meetings",
    "heavy-drinking days": "heavy drinking days",
    "psychotherapy": "counseling",
    "the therapist": "your counselor",
    "therapist": "counselor",
    "share of priority work tasks": "main work tasks",
    "percentage of planned daily tasks": "daily tasks",
    "priority": "main",
    # every goal-bank objective read as a client reads it (tests/writers/test_client_copy_bank.py)
    "the agreed skills": "the skills you practice in sessions",
    "the agreed communication skills": "the talking skills you practice in sessions",
    "the interpersonal task agreed in session": "the task with others you agreed on in session",
    "a situational analysis of one interpersonal event": "a short note on one tense moment "
    "with someone",
    "the assigned CBT exercise": "the exercise from your session",
    "CPT worksheet": "worksheet",
    "the imaginal exposure recording": "the recording of your memory",
    "do an in-vivo exposure": "face a feared situation",
    "a planned exposure from the fear hierarchy": "a planned step from your fear ladder",
    "a planned exposure without the ritual": "a planned practice facing a fear without the ritual",
    "ERP exposures": "practice sessions facing fears",
    "an interoceptive exposure exercise": "an exercise that brings on feared body feelings",
    "interoceptive exposure exercises": "exercises that bring on feared body feelings",
    "an assigned social exposure": "an assigned practice in a social setting",
    "reminder exposure": "facing reminders",
    "a defusion or values-based action exercise": "an exercise to step back from worries or "
    "act on what matters",
    "a concrete-thinking exercise": "an exercise to think about the details",
    "the calm-place or container exercise": "the calm-place exercise",
    "the rescripted dream": "the new ending of the dream",
    "avoided situations on the hierarchy": "avoided situations on your fear ladder",
    "hierarchy steps": "fear ladder steps",
    "peak fear rating (0-100) during the top hierarchy item": "fear rating (out of 100) at "
    "the top step of your fear ladder",
    "peak anger rating (0-10) per incident": "anger rating (out of 10) at its worst each time",
    "fear of the next attack (0-10)": "fear rating (out of 10) of the next attack",
    "weekly average of daily mood ratings (0-10)": "average daily mood rating (out of 10) in "
    "a week",
    "daily distress from voices or suspicious thoughts (0-10)": "daily rating (out of 10) of "
    "distress from voices or suspicious thoughts",
    "(0-10)": "(out of 10)",
    "(0-100)": "(out of 100)",
    "worry postponed to a scheduled 20-minute worry period": "worry saved for a set 20-minute "
    "worry time",
    "in a written support map": "on a written list",
    "the Social Rhythm Metric": "the daily routine log",
    "mastery tasks": "tasks that give a sense of achievement",
    "DBT skill": "coping skill",
    "a distress-tolerance skill": "a skill for getting through hard moments",
    "chain analyses": "step-by-step reviews",
    "labeled praises": "specific praises",
    "labeled praise": "specific praise",
    "child-directed play": "play led by your child",
    "after sleep onset": "after falling asleep",
    "intrusive memories": "unwanted memories",
    "trauma-focused sessions": "trauma therapy sessions",
    "compulsions": "rituals",
    "safety behaviors used per social situation": "things done to feel safe in each social "
    "situation",
    "the IPS supported-employment program": "the supported job program",
    "per using day": "on each day of use",
    "per drinking day": "on each drinking day",
    "per day": "a day",
    "per night": "a night",
    "per week": "a week",
    "per month": "a month",
    "weekly": "every week",
    "twice weekly": "twice a week",
    "then weekly": "then every week",
    "every other week": "every two weeks",
}

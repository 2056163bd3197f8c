"""What a client copy must not print: codes, instrument names and clinical jargon."""

from __future__ import annotations

import re

#: Words a client copy must not print (codes, instruments, clinical jargon).
JARGON = re.compile(
    r"\b(?:[A-TV-Z]\d\d(?:\.\w+)?|PHQ-9|GAD-7|PCL-5|AUDIT-C|C-SSRS|SUDS|CPT|ICD|baseline|"
    r"lethal|symptoms?|efficiency|exposures?|hierarchy|in-vivo|cognitive|behavioral|"
    r"suicidal|ideation|psychotherapy|modality|intervention|prognosis|DEAR MAN|stuck point|"
    r"NPI|assent|co-signer|on file|minor|"
    # what session 9 read in the copies and in every goal-bank objective said plainly
    r"agreed (?:communication )?skills|CBT|DBT|ERP|IPS|WSAS|ISI|PDSS|ASRS|Y-BOCS|PSS-10|"
    r"SPIN|DERS-16|PG-13-R|CUDIT-R|interoceptive|imaginal|defusion|rescripted|interpersonal|"
    r"chain analys[ie]s|distress-tolerance|mastery|labeled prais\w*|child-directed|"
    r"sleep onset|intrusive|support map|worry period|Social Rhythm Metric|situational|"
    r"trauma-focused|compulsions?|concrete-thinking|container exercise|impairment|"
    r"safety behaviors?|per (?:incident|day|night|using day|drinking day|social situation))\b",
    re.IGNORECASE,
)
#: A scale written as a range in parentheses ("(0-10)"): a client reads "out of 10".
SCALE = re.compile(r"\(\s*0\s*-\s*\d+\s*%?\s*\)")
#: "a" before a vowel sound, "an" before a consonant ("an practice"), a doubled full stop.
GRAMMAR = re.compile(
    r"\b[Aa] (?!one|use|usual|uni|eu)[aeiou]|\b[Aa]n (?![aeiou]|hour|honest)[a-z]|\.\.(?!\.)"
)

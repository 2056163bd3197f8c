"""Instruments and the measure rules: what counts as a meaningful target per severity band.

Rules (one per band): ``none`` (already below the clinical range: no score target, observable
objectives only), ``at_or_below N`` (reach N or lower, e.g. remission), ``percent_reduction P``
(response: at least P% below baseline), ``points_reduction N`` (reliable change of N points).
"""

from __future__ import annotations

#: instrument, full name, min score, max score, what a lower score means
INSTRUMENTS = (
    ("PHQ-9", "Patient Health Questionnaire-9", 0, 27, "fewer depressive symptoms"),
    ("GAD-7", "Generalized Anxiety Disorder-7", 0, 21, "less generalized anxiety"),
    ("PCL-5", "PTSD Checklist for DSM-5", 0, 80, "fewer PTSD symptoms"),
    ("AUDIT-C", "Alcohol Use Disorders Identification Test - Consumption", 0, 12, "less drinking"),
    ("ISI", "Insomnia Severity Index", 0, 28, "less insomnia"),
    ("PDSS", "Panic Disorder Severity Scale", 0, 28, "less severe panic disorder"),
    ("SPIN", "Social Phobia Inventory", 0, 68, "less social anxiety"),
    ("Y-BOCS", "Yale-Brown Obsessive Compulsive Scale", 0, 40, "less severe OCD"),
    ("ASRS", "Adult ADHD Self-Report Scale v1.1 Symptom Checklist", 0, 72, "fewer ADHD symptoms"),
    ("CUDIT-R", "Cannabis Use Disorders Identification Test - Revised", 0, 32, "less cannabis use"),
    ("PG-13-R", "Prolonged Grief-13-Revised", 10, 50, "less prolonged grief"),
    ("DERS-16", "Difficulties in Emotion Regulation Scale, 16-item", 16, 80, "better regulation"),
    ("PSS-10", "Perceived Stress Scale, 10-item", 0, 40, "less perceived stress"),
    ("WSAS", "Work and Social Adjustment Scale", 0, 40, "less functional impairment"),
)

#: instrument, band, min, max, rule, value, rationale
MEASURE_RULES = (
    ("PHQ-9", "minimal", 0, 4, "none", None, "Already in the remission range."),
    ("PHQ-9", "mild", 5, 9, "at_or_below", 4, "Remission: PHQ-9 below 5."),
    ("PHQ-9", "moderate", 10, 14, "points_reduction", 5, "Reliable change: 5 points."),
    ("PHQ-9", "moderately severe", 15, 19, "percent_reduction", 50, "Response: 50% reduction."),
    ("PHQ-9", "severe", 20, 27, "percent_reduction", 50, "Response: 50% reduction."),
    ("GAD-7", "minimal", 0, 4, "none", None, "Already in the remission range."),
    ("GAD-7", "mild", 5, 9, "at_or_below", 4, "Remission: GAD-7 below 5."),
    ("GAD-7", "moderate", 10, 14, "points_reduction", 4, "Reliable change: 4 points."),
    ("GAD-7", "severe", 15, 21, "percent_reduction", 50, "Response: 50% reduction."),
    ("PCL-5", "below cut-off", 0, 9, "none", None, "Few PTSD symptoms."),
    ("PCL-5", "subthreshold", 10, 32, "points_reduction", 10, "Reliable change: 10 points."),
    ("PCL-5", "probable PTSD", 33, 49, "at_or_below", 32, "Below the probable-PTSD cut-off."),
    ("PCL-5", "severe PTSD", 50, 80, "points_reduction", 15, "Clinically meaningful: 10-20."),
    ("AUDIT-C", "low risk", 0, 2, "none", None, "Below both screening cut-offs."),
    ("AUDIT-C", "positive screen", 3, 7, "at_or_below", 2, "Below the cut-off (3 women, 4 men)."),
    ("AUDIT-C", "high risk", 8, 12, "percent_reduction", 50, "Halve consumption as a first step."),
    ("ISI", "no insomnia", 0, 7, "none", None, "No clinically significant insomnia."),
    ("ISI", "subthreshold", 8, 14, "at_or_below", 7, "Remission: ISI below 8."),
    ("ISI", "moderate", 15, 21, "points_reduction", 8, "Response: 8-point reduction."),
    ("ISI", "severe", 22, 28, "points_reduction", 8, "Response: 8-point reduction."),
    ("PDSS", "none to mild", 0, 7, "none", None, "Below the clinical range."),
    ("PDSS", "clinical", 8, 28, "percent_reduction", 40, "Response: 40% reduction."),
    ("SPIN", "none", 0, 20, "none", None, "Below the clinical range."),
    ("SPIN", "mild", 21, 30, "at_or_below", 20, "Below the clinical range."),
    ("SPIN", "moderate to severe", 31, 68, "percent_reduction", 30, "Response: 30% reduction."),
    ("Y-BOCS", "subclinical", 0, 7, "none", None, "Subclinical."),
    ("Y-BOCS", "mild", 8, 15, "at_or_below", 7, "Remission range."),
    ("Y-BOCS", "moderate to extreme", 16, 40, "percent_reduction", 35, "Response: 35%."),
    ("ASRS", "any", 0, 72, "percent_reduction", 30, "Response: 30% reduction."),
    ("CUDIT-R", "low risk", 0, 7, "none", None, "Below the hazardous-use cut-off."),
    ("CUDIT-R", "hazardous or disordered", 8, 32, "percent_reduction", 50, "Halve use."),
    ("PG-13-R", "below cut-off", 10, 29, "none", None, "Below the probable-PGD cut-off."),
    ("PG-13-R", "probable PGD", 30, 50, "at_or_below", 29, "Below the probable-PGD cut-off."),
    ("DERS-16", "any", 16, 80, "percent_reduction", 20, "Meaningful change: 20%."),
    ("PSS-10", "low", 0, 13, "none", None, "Low perceived stress."),
    ("PSS-10", "moderate", 14, 26, "at_or_below", 13, "Into the low range."),
    ("PSS-10", "high", 27, 40, "points_reduction", 10, "Meaningful change: 10 points."),
    ("WSAS", "subclinical", 0, 9, "none", None, "Subclinical impairment."),
    ("WSAS", "significant", 10, 20, "at_or_below", 9, "Into the subclinical range."),
    ("WSAS", "moderately severe", 21, 40, "percent_reduction", 40, "Response: 40%."),
)

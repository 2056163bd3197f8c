"""The finding codes of mapping a record into a plan (reading values, assembling the plan)."""

from __future__ import annotations

BAD_VALUE = "IN002"  #: a value that cannot be read (date, number, yes/no...)
UNKNOWN_CODE = "IN003"  #: not an ICD-10-CM code
NOT_BILLABLE = "IN004"  #: a valid category code that cannot be billed
BAD_MEASURE = "IN005"  #: a measure that cannot be scored
CONFLICT = "IN006"  #: one client, two different values for one field; the first is kept
FORMULA_TEXT = "IN007"  #: a cell that looks like a formula, kept as text
UNKNOWN_INSTRUMENT = "IN008"  #: a measure txplan does not score; skipped
INCOMPLETE = "IN009"  #: a goal/objective/intervention missing its text
INVALID = "IN012"  #: the assembled plan does not validate
MAPPED = "IN010"  #: explain: label -> model path
IGNORED = "IN011"  #: explain: label ignored
OTHER_CODE = "IN042"  #: a diagnosis in another code system (ICD-9, SNOMED CT) or deferred
NOT_GIVEN = "IN041"  #: a measure cell that says it was not given (n/a, refused): left blank

"""The clinical vocabulary: ICD-10-CM, instruments and scoring, SMART check, schedules, NPI."""

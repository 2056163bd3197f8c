"""The plan as a FHIR R4 Bundle: Patient, Condition, Observation, Goal, CarePlan, Provenance."""

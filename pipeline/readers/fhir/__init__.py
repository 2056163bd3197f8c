"""FHIR R4 intake: a Bundle or a Bulk Data export (NDJSON) -> one plan per Patient."""

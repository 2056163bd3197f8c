"""Plan + goal bank -> plan with concrete SMART objectives; clinician text wins."""

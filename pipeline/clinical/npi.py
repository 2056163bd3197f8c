"""National Provider Identifiers: the CMS check-digit test (Luhn over 80840 + the NPI)."""

from __future__ import annotations


def npi_valid(npi: str) -> bool:
    """A 10-digit NPI whose last digit is the Luhn check digit over ``80840`` + the first 9."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(c) for c in "80840" + npi]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0

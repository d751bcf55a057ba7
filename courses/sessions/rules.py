"""Pure checks on provider data."""

from __future__ import annotations


def siret_is_valid(siret: str) -> bool:
    """14 digits whose Luhn checksum is right (La Poste's establishments excepted by INSEE rules)."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(d) for d in siret) % 5 == 0
    total = 0
    for index, digit in enumerate(int(d) for d in reversed(siret)):
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0

"""Treatment abbreviations clinicians write, spelled as the goal bank spells the treatments."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

#: An abbreviation -> the words the goal bank spells it with ("CBT" is the bank's "Cognitive
#: behavioral therapy"; "CBT-I", the words cbt and i, its "CBT for insomnia").
SPELLED = {
    "cbt": ("cognitive", "behavioral", "therapy"),
    "dbt": ("dialectical", "behavior", "therapy"),
    "ipt": ("interpersonal", "psychotherapy"),
    "erp": ("exposure", "response", "prevention"),
    "emdr": ("eye", "movement", "desensitization", "reprocessing"),
}


def spelled_out(found: frozenset[str]) -> frozenset[str]:
    """Lower-case modality words with each abbreviation's words added ("cbt" + "i": insomnia)."""
    extra = [w for a in found & SPELLED.keys() for w in SPELLED[a]]
    if "cbt" in found and "i" in found:
        extra.append("insomnia")
    return found.union(extra) if extra else found


@lru_cache(maxsize=4096)  # modalities recur from plan to plan
def treatment_key(modality: str) -> str:
    """One key for the names of one treatment: "CBT" and "Cognitive behavioral therapy" are
    one treatment (abbreviations spelled out, case and punctuation ignored); "CBT for
    insomnia" is another."""
    out: list[str] = []
    for word in _WORD.findall(modality.lower()):
        out.extend(SPELLED.get(word, (word,)))
    return " ".join(out)

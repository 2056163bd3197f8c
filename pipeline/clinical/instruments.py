"""The standardized measures as data: items, range, bands, risk items, missing-item rules.

Adding an instrument is adding one :class:`Instrument` to :data:`INSTRUMENTS`; scoring
(:mod:`pipeline.clinical.measures`) reads nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The missing-item rule every instrument starts from.
NO_PRORATING = (
    "never prorated; blank items are an error unless the total is given, then the total is "
    "used and the items are not kept (MEAS002); all items blank is a total-only record"
)


@dataclass(frozen=True)
class Band:
    """A severity band: totals ``low``..``high`` (both included) have this label."""

    low: int
    high: int
    label: str


@dataclass(frozen=True)
class RiskRule:
    """Item ``item`` (1-based) above ``above`` sets each of ``flags`` (fields of model.Risk)."""

    item: int
    above: int
    flags: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Cluster:
    """Items ``first``..``last`` (1-based, both included), of which ``needed`` must count."""

    label: str
    first: int
    last: int
    needed: int


@dataclass(frozen=True)
class ClusterRule:
    """A diagnostic rule over the items: an item counts when rated ``at_least`` or higher,
    and every cluster needs its number of counted items (the DSM-5 rule of the PCL-5)."""

    name: str
    at_least: int
    clusters: tuple[Cluster, ...]

    def counts(self, items: tuple[int, ...]) -> tuple[tuple[Cluster, int], ...]:
        """Each cluster with how many of its items count."""
        return tuple(
            (c, sum(1 for i in items[c.first - 1 : c.last] if i >= self.at_least))
            for c in self.clusters
        )

    def met(self, items: tuple[int, ...]) -> bool:
        return all(found >= c.needed for c, found in self.counts(items))

    def describe(self, items: tuple[int, ...]) -> str:
        """``B 2/1, C 0/1, D 3/2, E 2/2``: items counted / needed per cluster."""
        return ", ".join(f"{c.label} {found}/{c.needed}" for c, found in self.counts(items))


@dataclass(frozen=True)
class Instrument:
    """One instrument as data: items, range, bands, risk rules and reliable change."""

    name: str
    title: str
    aliases: tuple[str, ...]
    items: int
    item_min: int
    item_max: int
    bands: tuple[Band, ...]
    risk: tuple[RiskRule, ...] = ()
    reliable_change: int | None = None
    #: Bands that replace ``bands`` when the client's sex is known ("male" / "female").
    sex_bands: dict[str, tuple[Band, ...]] = field(default_factory=dict, hash=False)
    #: A diagnostic rule over the item responses, reported beside the cut-off (PCL-5).
    rule: ClusterRule | None = None
    #: The published cut-off as its authors give it, when it is a range ("31-33").
    cut_off: str = ""
    #: What scoring does with blank items (README "Measures and codes" states it per
    #: instrument; tests/clinical/test_missing_items.py holds the README to it).
    missing: str = NO_PRORATING

    @property
    def total_min(self) -> int:
        return self.items * self.item_min

    @property
    def total_max(self) -> int:
        return self.items * self.item_max


def _bands(*spec: tuple[int, int, str]) -> tuple[Band, ...]:
    return tuple(Band(low, high, label) for low, high, label in spec)


INSTRUMENTS: tuple[Instrument, ...] = (
    Instrument(
        name="PHQ-9",
        title="Patient Health Questionnaire-9",
        aliases=("PHQ9", "Patient Health Questionnaire 9", "PHQ-9 depression"),
        items=9,
        item_min=0,
        item_max=3,
        bands=_bands(
            (0, 4, "none-minimal"),
            (5, 9, "mild"),
            (10, 14, "moderate"),
            (15, 19, "moderately severe"),
            (20, 27, "severe"),
        ),
        risk=(
            RiskRule(
                item=9,
                above=0,
                flags=("suicidal_ideation", "safety_plan_required"),
                reason="thoughts that one would be better off dead or of self-harm",
            ),
        ),
        reliable_change=5,
        missing=(
            NO_PRORATING + "; item 9 (the risk item) blank while other items are answered is "
            "an error even with a total, and any blank item is an error while item 9 is above "
            "0, so a risk is never lost or unknown"
        ),
    ),
    Instrument(
        name="GAD-7",
        title="Generalized Anxiety Disorder-7",
        aliases=("GAD7", "Generalized Anxiety Disorder 7", "Generalised Anxiety Disorder 7"),
        items=7,
        item_min=0,
        item_max=3,
        bands=_bands((0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")),
        reliable_change=4,
    ),
    Instrument(
        name="PCL-5",
        title="PTSD Checklist for DSM-5",
        aliases=("PCL5", "PTSD Checklist 5", "PTSD Checklist for DSM-5", "PCL-5 PTSD"),
        items=20,
        item_min=0,
        item_max=4,
        bands=_bands((0, 32, "below threshold"), (33, 80, "probable PTSD")),
        reliable_change=10,
        cut_off="31-33",
        rule=ClusterRule(
            name="DSM-5 provisional PTSD",
            at_least=2,  # "moderately" or more
            clusters=(
                Cluster("B", 1, 5, 1),
                Cluster("C", 6, 7, 1),
                Cluster("D", 8, 14, 2),
                Cluster("E", 15, 20, 2),
            ),
        ),
        missing=(
            NO_PRORATING + "; the DSM-5 provisional rule needs all 20 items, so a total-only "
            "record reports the cut-off alone"
        ),
    ),
    Instrument(
        name="AUDIT-C",
        title="Alcohol Use Disorders Identification Test - Consumption",
        aliases=(
            "AUDITC",
            "AUDIT C",
            "AUDIT Consumption",
            "Alcohol Use Disorders Identification Test Consumption",
            "Alcohol Use Disorders Identification Test C",
        ),
        items=3,
        item_min=0,
        item_max=4,
        # Sex not recorded: both cut-offs are reported (4 for men, 3 for women).
        bands=_bands(
            (0, 2, "negative screen (below both cut-offs: 3 women, 4 men; sex not recorded)"),
            (
                3,
                3,
                "positive for a woman (cut-off 3), negative for a man (cut-off 4); sex not "
                "recorded",
            ),
            (4, 12, "positive screen (above both cut-offs: 3 women, 4 men; sex not recorded)"),
        ),  # fmt: skip
        sex_bands={
            "male": _bands((0, 3, "negative screen"), (4, 12, "positive screen")),
            "female": _bands((0, 2, "negative screen"), (3, 12, "positive screen")),
        },
        missing=NO_PRORATING + "; the client's sex picks the cut-off, never the missing items",
    ),
)

"""The standardized measures as data: items and their range, severity bands, risk items.

Adding an instrument is adding one :class:`Instrument` to :data:`INSTRUMENTS`; scoring
(:mod:`pipeline.clinical.measures`) reads nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
        bands=_bands(
            (0, 3, "negative screen (cut-off 4; sex not recorded)"),
            (4, 12, "positive screen (cut-off 4; sex not recorded)"),
        ),
        sex_bands={
            "male": _bands((0, 3, "negative screen"), (4, 12, "positive screen")),
            "female": _bands((0, 2, "negative screen"), (3, 12, "positive screen")),
        },
    ),
)

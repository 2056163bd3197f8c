"""The measures chart: one small SVG line per instrument, drawn on the server (no script)."""

from __future__ import annotations

from dataclasses import dataclass

#: Instrument -> the highest total it can have (the chart's scale).
MAXIMA = {"PHQ-9": 27, "GAD-7": 21, "PCL-5": 80, "AUDIT-C": 12}
WIDTH, HEIGHT, PAD = 420, 160, 32


@dataclass(frozen=True)
class Chart:
    instrument: str
    points: list[tuple[str, int]]  #: (date, total)
    path: str  #: SVG polyline points
    dots: list[tuple[float, float, str, int]]  #: x, y, date, total
    top: int
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD

    @property
    def summary(self) -> str:
        steps = ", ".join(f"{total} on {date}" for date, total in self.points)
        return f"{self.instrument} totals: {steps}"


def chart(instrument: str, points: list[tuple[str, int]]) -> Chart:
    top = max(MAXIMA.get(instrument, 0), *(t for _d, t in points), 1)
    span = max(1, len(points) - 1)
    dots = []
    for i, (date, total) in enumerate(points):
        x = PAD + (WIDTH - 2 * PAD) * (i / span if len(points) > 1 else 0.5)
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * total / top
        dots.append((round(x, 1), round(y, 1), date, total))
    path = " ".join(f"{x},{y}" for x, y, _d, _t in dots)
    return Chart(instrument, points, path, dots, top)

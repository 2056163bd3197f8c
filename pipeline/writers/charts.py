"""Progress charts: one measure's administrations over time as PNG bytes, identical on rebuild.

:func:`chart_png` draws a :class:`~pipeline.writers.progress.Progress` (scores by date, the
target line, the band of no reliable change around the baseline) with matplotlib's Agg
renderer on a :class:`~matplotlib.figure.Figure` of its own (no pyplot, no global state).
The bytes depend only on the data: every rcParam is set here from matplotlib's defaults (a
user's matplotlibrc or ``MPLBACKEND`` changes nothing), the size and DPI are fixed, every
text uses one font file (DejaVu Sans from Debian's ``fonts-dejavu-core``, else the copy
matplotlib ships), and the PNG carries no software name or date. matplotlib is imported on
the first chart only, and charts are cached by content within a process (a batch).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from pipeline.writers.progress import Progress
from pipeline.writers.wording import MONTHS

#: Chart size in inches and resolution: 16 x 6.4 cm at 150 dpi (945 x 378 pixels).
SIZE = (6.3, 2.52)
DPI = 150
#: Width and height in EMU (1 inch = 914400) for the DOCX drawing that shows it.
EXTENT = (int(SIZE[0] * 914400), int(SIZE[1] * 914400))
#: The font file every text is set in: Debian's DejaVu Sans, else matplotlib's own copy.
DEBIAN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LINE = "#1F4E79"  # the templates' accent blue
TARGET = "#B03A2E"
BAND = "#D9D9D9"
#: A white box behind each score's label, so a line running through it cannot hide it.
LABEL_BOX = {"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"}
#: rcParams set on top of matplotlib's defaults for every chart (nothing left to a matplotlibrc).
RC: dict[str, Any] = {
    "font.size": 8.0,
    "axes.linewidth": 0.6,
    "axes.edgecolor": "#595959",
    "axes.labelcolor": "#262626",
    "xtick.color": "#262626",
    "ytick.color": "#262626",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "savefig.bbox": "standard",
    "savefig.pad_inches": 0.0,
    "path.simplify": False,
    "text.usetex": False,
    "text.antialiased": True,
    "lines.antialiased": True,
    "patch.antialiased": True,
    "text.hinting": "default",
    "svg.hashsalt": None,
    "axes.formatter.use_locale": False,
    "date.converter": "auto",
}

#: Up to this many administrations every score is labelled; above it the first and last only.
LABELLED = 12

_CACHE: OrderedDict[str, bytes] = OrderedDict()
#: matplotlib's rcParams are process-wide: one chart is drawn at a time in a process.
_LOCK = threading.Lock()
CACHE_SIZE = 256


def font_path() -> Path:
    """The one font file charts use (see the module docstring)."""
    if DEBIAN_FONT.is_file():
        return DEBIAN_FONT
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def chart_png(progress: Progress) -> bytes:
    """The chart of one instrument's administrations (two or more dated) as PNG bytes.

    Cached by :attr:`Progress.key` (a content hash): a batch draws each chart once.
    Raises ValueError for fewer than two dated administrations (a sentence stands for it).
    """
    if not progress.charted:
        raise ValueError(f"{progress.instrument}: a chart needs two dated administrations")
    cached = _CACHE.get(progress.key)
    if cached is not None:
        _CACHE.move_to_end(progress.key)
        return cached
    with _LOCK:
        data = _draw(progress)
    _CACHE[progress.key] = data
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return data


def clear_cache() -> None:
    """Forget every drawn chart (benchmarks measure a cold batch with it)."""
    _CACHE.clear()


def _ticks(first: dt.date, last: dt.date, dates: list[dt.date]) -> list[dt.date]:
    """The administrations' own dates as ticks, thinned to at most 8 (always first and last)."""
    if len(dates) <= 8:
        return dates
    step = (len(dates) - 1) / 7
    return sorted({dates[round(i * step)] for i in range(8)} | {first, last})


def _steps(bottom: int, top: int) -> list[int]:
    """Y ticks: the smallest round step giving at most 7 of them (every label set here, in
    the chart's font: no tick is left to matplotlib's locator and default font)."""
    span = max(1, top - bottom)
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span / s <= 6), 10 ** len(str(span)))
    first = -(-bottom // step) * step
    return list(range(first, top + 1, step))


def _draw(p: Progress) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(RC)
        font = FontProperties(fname=str(font_path()), size=RC["font.size"])
        small = FontProperties(fname=str(font_path()), size=7.0)
        figure = Figure(figsize=SIZE, dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0.075, 0.2, 0.655, 0.68))
        dates = [d for d, _ in p.points]
        x = [d.toordinal() for d in dates]
        scores = [s for _, s in p.points]
        left, right = x[0], x[-1]
        pad = max(1.0, (right - left) * 0.04)
        axes.set_xlim(left - pad, right + pad)
        bottom, top = min(0, *scores), max(p.top, *scores)  # a score a plan JSON put out of range
        axes.set_ylim(bottom, top)
        notes = []
        if p.baseline and p.reliable_change:
            low = max(bottom, p.baseline[1] - p.reliable_change)
            high = min(top, p.baseline[1] + p.reliable_change)
            axes.axhspan(low, high, color=BAND, alpha=0.6, linewidth=0, zorder=0)
            notes.append((BAND, "square", f"no reliable change\n(baseline {p.baseline[1]} "
                                          f"± {p.reliable_change})"))  # fmt: skip
        if p.target:
            axes.axhline(p.target.value, color=TARGET, linewidth=1.0, linestyle=(0, (4, 2)),
                         zorder=2)  # fmt: skip
            notes.append((TARGET, "line", f"target {p.target}"))
        axes.plot(x, scores, color=LINE, linewidth=1.6, marker="o", markersize=4, zorder=3)
        shown = set(range(len(x))) if len(x) <= LABELLED else {0, len(x) - 1}
        for i, (xi, score) in enumerate(zip(x, scores, strict=True)):
            if i not in shown:
                continue
            axes.annotate(str(score), (xi, score), textcoords="offset points", xytext=(0, 5),
                          ha="center", fontproperties=small, color=LINE, zorder=4,
                          bbox=LABEL_BOX)  # fmt: skip
        notes.append((LINE, "marker", f"{p.instrument} total"))
        ticks = _ticks(dates[0], dates[-1], dates)
        axes.set_xticks([d.toordinal() for d in ticks])
        axes.set_xticklabels([f"{MONTHS[d.month - 1][:3]} {d.day}\n{d.year}" for d in ticks],
                             fontproperties=small)  # fmt: skip
        steps = _steps(bottom, top)
        axes.set_yticks(steps)
        axes.set_yticklabels([str(v) for v in steps], fontproperties=small)
        axes.set_ylabel("score (lower is better)", fontproperties=small)
        axes.set_title(f"{p.instrument}: {p.title}", fontproperties=font, loc="left",
                       color="#262626")  # fmt: skip
        axes.grid(axis="y", color="#EDEDED", linewidth=0.5, zorder=0)
        _legend(figure, notes, small)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _legend(figure: Any, notes: list[tuple[str, str, str]], font: Any) -> None:
    """A key right of the plot: the line, the target, the band (drawn, not matplotlib's legend,
    whose placement search could depend on the data)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    y = 0.8
    for color, kind, text in reversed(notes):
        if kind == "square":
            figure.add_artist(Rectangle((0.765, y - 0.03), 0.02, 0.06, color=color,
                                        transform=figure.transFigure))  # fmt: skip
        else:
            style = (0, (4, 2)) if kind == "line" else "-"
            figure.add_artist(Line2D([0.76, 0.79], [y, y], color=color, linestyle=style,
                                     marker="o" if kind == "marker" else None, markersize=3,
                                     transform=figure.transFigure))  # fmt: skip
        figure.text(0.8, y, text, fontproperties=font, va="center", color="#262626")
        y -= 0.22

"""Flat PDF forms (a text layer, no fields): labelled values from pdfplumber words and positions.

Understood layouts: ``Label: value`` lines; a label in a left column (bold or ending in a
colon) with its value in a right column; values that wrap onto the following lines (aligned
under the value, or indented under a label that stands alone, as questions do); two such
columns side by side; an inline ``Label: value`` whose value wraps back to the left margin
(a word processor's paragraph: the line above ends where the next word would not fit before
the right margin); ruled tables (a header row, or label/value rows); options with checkbox
marks (☒ ☐ ✓ [X] [ ]) after a label; and checkbox grids (a questionnaire: one row per item,
one column per answer), whose items become ``PHQ-9 item 3``-style labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.model import Source
from pipeline.readers.mapping.aliases import resolve
from pipeline.readers.mapping.labels import is_header_row
from pipeline.readers.marks import checked_options, is_mark, mark_checked
from pipeline.readers.raw import RawField

_INSTRUMENT = re.compile(r"\b(PHQ[- ]?9|GAD[- ]?7|PCL[- ]?5|AUDIT[- ]?C)\b", re.I)
_ITEM_NUMBER = re.compile(r"^\s*(\d{1,2})[.)]\s*")
_SCORE = re.compile(r"\((\d+)\)|^(\d+)$")
_INLINE = re.compile(r"^([^:]{1,40}?):\s+(.+)$")


@dataclass
class Cell:
    """Words on one line close enough together to be one piece of text."""

    text: str
    x0: float
    x1: float
    top: float
    height: float
    bold: bool
    words: tuple[dict, ...] = ()

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Entry:
    """A label and the value lines gathered for it so far."""

    label: str
    label_x0: float
    value_x0: float | None
    top: float
    last_top: float
    height: float
    parts: list[str] = field(default_factory=list)
    inline: bool = False  #: ``Label: value`` on one line (its value may wrap under the label)
    last_x1: float = 0.0  #: where the value's last line ends


@dataclass
class Grid:
    """The columns (centre, header text) of a checkbox grid and its title."""

    columns: list[tuple[float, str]]
    title: str
    count: int = 0


def _is_bold(word: dict) -> bool:
    return "bold" in str(word.get("fontname", "")).lower()


def lines_of(words: list[dict]) -> list[list[Cell]]:
    """Words grouped into lines (by top) and each line into cells (by horizontal gaps)."""
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(word["top"] - rows[-1][0]["top"]) <= 2.0:
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        cells: list[list[dict]] = [[row[0]]]
        for word in row[1:]:
            previous = cells[-1][-1]
            height = previous["bottom"] - previous["top"]
            boundary = is_mark(word["text"]) and not _is_opening(previous["text"])
            if word["x0"] - previous["x1"] > max(6.0, 0.9 * height) or (
                boundary and word["x0"] - previous["x1"] > max(6.0, 0.5 * height)
            ):
                cells.append([word])
            else:
                cells[-1].append(word)
        lines.append([_cell(c) for c in cells])
    return lines


def _is_opening(text: str) -> bool:
    return text.endswith(":") or text == "["


def _cell(words: list[dict]) -> Cell:
    return Cell(
        text=" ".join(w["text"] for w in words),
        x0=words[0]["x0"],
        x1=words[-1]["x1"],
        top=min(w["top"] for w in words),
        height=max(w["bottom"] - w["top"] for w in words),
        bold=all(_is_bold(w) for w in words),
        words=tuple(words),
    )


def _value_x0(cell: Cell) -> float:
    """Where the value of an inline ``Label: value`` cell starts."""
    for index, word in enumerate(cell.words):
        if word["text"].endswith(":") and index + 1 < len(cell.words):
            return cell.words[index + 1]["x0"]
    return cell.x0


def _inline_pairs(name: str, cell: Cell) -> list[tuple[str, str, Cell]]:
    """``PHQ-9 total: 12   GAD-7 total: 8`` -> two (label, value, cell) pairs.

    A later word ending in ":" starts a new pair when the words before it (after at least one
    value word) end with a label the alias table knows; otherwise the colon is value text.
    """
    words = list(cell.words)
    first = next((i for i, w in enumerate(words) if w["text"].endswith(":")), None)
    if first is None or len(words) < 3:
        return [(name, cell.text.split(":", 1)[1].strip(), cell)]
    pairs: list[tuple[str, int, int]] = []  # (label, first word of the pair, first value word)
    start, value_at = 0, first + 1
    for j in range(first + 2, len(words)):
        if not words[j]["text"].endswith(":"):
            continue
        for k in range(value_at + 1, j + 1):
            label = " ".join(w["text"] for w in words[k : j + 1])[:-1].strip()
            if resolve(label) is not None:
                pairs.append((name, start, value_at))
                name, start, value_at = label, k, j + 1
                break
    pairs.append((name, start, value_at))
    found = []
    for number, (label, begin, value_start) in enumerate(pairs):
        end = pairs[number + 1][1] if number + 1 < len(pairs) else len(words)
        value = " ".join(w["text"] for w in words[value_start:end]).strip()
        found.append((label, value, _cell(words[begin:end]) if len(pairs) > 1 else cell))
    return found


class PageReader:
    """Turns the lines of one page into labelled values, keeping their order and place."""

    def __init__(self, file: str, page: int, right: float | None = None) -> None:
        """``right``: where the page's text area ends (None: no wrapping to the margin)."""
        self.file = file
        self.page = page
        self.right = right
        self.entries: list[Entry] = []
        self.out: list[tuple[float, RawField]] = []
        self.previous: list[list[Cell]] = []
        self.grid: Grid | None = None

    # -- lines ------------------------------------------------------------------------------

    def feed(self, line: list[Cell]) -> None:
        marks = [c for c in line if is_mark(c.text)]
        unanswered = self.grid is not None and not marks and _ITEM_NUMBER.match(line[0].text)
        if unanswered or (marks and self._grid_row(line, marks)):
            if unanswered and self.grid is not None:
                self.grid.count += 1
            self.previous.append(line)
            return
        self.grid = None
        index = 0
        while index < len(line):
            cell = line[index]
            following = line[index + 1] if index + 1 < len(line) else None
            label = self._label_of(cell, following)
            if label is not None:
                name, value_cell = label
                if value_cell is cell:  # inline "Label: value", maybe several on one line
                    for part_name, value, part in _inline_pairs(name, cell):
                        entry = self._start(part_name, part, _value_x0(part), part)
                        entry.parts.append(value)
                        entry.inline, entry.last_x1 = True, part.x1
                    index += 1
                elif value_cell is not None:
                    entry = self._start(name, cell, value_cell.x0, value_cell)
                    entry.parts.append(value_cell.text)
                    index += 2
                else:
                    self._start(name, cell, None, cell)
                    index += 1
                continue
            self._continue(cell, len(line))  # else a heading or free text (grid context)
            index += 1
        self.previous.append(line)

    def _label_of(self, cell: Cell, following: Cell | None) -> tuple[str, Cell | None] | None:
        """(label, value cell) when the cell is a label; the value cell may be the cell itself."""
        text = cell.text.strip()
        if text.endswith(":") and len(text) <= 60:
            return text[:-1].strip(), following
        if (m := _INLINE.match(text)) and not self._continues(cell):
            return m[1].strip(), cell
        if cell.bold and following is not None and not following.bold:
            return text, following
        question = cell.bold or text.endswith("?")
        if following is None and question and len(text) <= 80 and not self._continues(cell):
            return text, None
        return None

    def _start(self, label: str, cell: Cell, value_x0: float | None, value_cell: Cell) -> Entry:
        entry = Entry(label, cell.x0, value_x0, cell.top, value_cell.top, cell.height)
        self.entries.append(entry)
        return entry

    def _adjacent(self, entry: Entry, cell: Cell) -> bool:
        similar = abs(entry.height - cell.height) <= 0.25 * max(entry.height, cell.height)
        return similar and 0 < cell.top - entry.last_top <= 2.2 * max(entry.height, cell.height)

    def _target(self, cell: Cell) -> Entry | None:
        for entry in reversed(self.entries):
            if not self._adjacent(entry, cell):
                continue
            if entry.value_x0 is not None and abs(entry.value_x0 - cell.x0) <= 4.0:
                return entry
            if entry.value_x0 is None and entry.label_x0 - 2 <= cell.x0 <= entry.label_x0 + 40:
                return entry
        return None

    def _continues(self, cell: Cell) -> bool:
        return self._target(cell) is not None

    def _wrapped_to_margin(self, cell: Cell, cells_on_line: int) -> Entry | None:
        """The inline entry whose value wrapped onto this line, back under its label.

        Only a lone, plain cell starting where the label starts, right below the value's last
        line, which ended too close to the right margin for this line's first word to fit.
        """
        if self.right is None or cells_on_line > 1 or cell.bold or not self.entries:
            return None
        entry = self.entries[-1]
        if not entry.inline or abs(cell.x0 - entry.label_x0) > 4.0:
            return None
        if not self._adjacent(entry, cell):
            return None
        first = cell.words[0] if cell.words else None
        word = first["x1"] - first["x0"] if first else cell.x1 - cell.x0
        space = 0.25 * cell.height
        return entry if entry.last_x1 + space + word > self.right - 2.0 else None

    def _continue(self, cell: Cell, cells_on_line: int) -> bool:
        entry = self._target(cell) or self._wrapped_to_margin(cell, cells_on_line)
        if entry is None or (entry.value_x0 is None and cells_on_line > 1):
            return False
        if entry.value_x0 is None:
            entry.value_x0 = cell.x0
        entry.parts.append(cell.text)
        entry.last_top = cell.top
        entry.last_x1 = cell.x1
        return True

    # -- checkbox grids -----------------------------------------------------------------------

    def _grid_row(self, line: list[Cell], marks: list[Cell]) -> bool:
        """Read a grid row (item label, then marks under the answer columns); False if none."""
        texts = [c for c in line if not is_mark(c.text)]
        if self.grid is None:
            label_end = max((c.x1 for c in texts if c.x0 < marks[0].x0), default=0.0)
            self.grid = self._grid_header(marks, label_end)
            if self.grid is None:
                return False
        row_label = texts[0].text if texts else ""
        self.grid.count += 1
        chosen = []
        for mark in marks:
            if not mark_checked(mark.text):
                continue
            column = min(
                range(len(self.grid.columns)),
                key=lambda k: abs(self.grid.columns[k][0] - mark.centre),  # type: ignore[union-attr]
            )
            head = self.grid.columns[column][1]
            score = _SCORE.search(head)
            chosen.append((int(next(g for g in score.groups() if g)) if score else column, head))
        number_match = _ITEM_NUMBER.match(row_label)
        number = int(number_match[1]) if number_match else self.grid.count
        instrument = _INSTRUMENT.search(self.grid.title)
        if instrument:
            label = f"{instrument[1].upper().replace(' ', '-')} item {number}"
            value: object = chosen[0][0] if len(chosen) == 1 else "; ".join(h for _, h in chosen)
        else:
            label = _ITEM_NUMBER.sub("", row_label) or f"{self.grid.title} row {number}"
            value = "; ".join(h for _, h in chosen)
        if chosen:
            self.out.append((line[0].top, RawField(label, value, self._source(label))))
        return True

    def _grid_header(self, marks: list[Cell], label_end: float) -> Grid | None:
        """The lines just above the first row whose cells stand over the marks name the columns."""
        columns: list[tuple[float, list[str]]] = []
        title: list[str] = []
        for line in reversed(self.previous[-4:]):
            heads = [c for c in line if c.x0 >= label_end - 2]
            left = [c.text for c in line if c.x0 < label_end - 2]
            if not columns:
                if len(heads) < 2:
                    return None
                spacing = min(b.centre - a.centre for a, b in zip(heads, heads[1:], strict=False))
                if any(min(abs(h.centre - m.centre) for h in heads) > spacing / 2 for m in marks):
                    return None
                columns = [(h.centre, [h.text]) for h in heads]
                title = left
                continue
            if heads and all(min(abs(x - h.centre) for x, _ in columns) <= 12 for h in heads):
                for head in heads:
                    k = min(range(len(columns)), key=lambda i: abs(columns[i][0] - head.centre))
                    columns[k][1].insert(0, head.text)
                title = left + title
                continue
            title = [c.text for c in line] + title
            break
        return Grid([(x, " ".join(t)) for x, t in columns], " ".join(title).strip())

    # -- results --------------------------------------------------------------------------------

    def _source(self, label: str, row: int | None = None) -> Source:
        return Source(file=self.file, page=self.page, row=row, field=label)

    def fields(self) -> list[tuple[float, RawField]]:
        found = list(self.out)
        for entry in self.entries:
            if not entry.parts:
                continue  # a heading, or a question left unanswered
            text = " ".join(p.strip() for p in entry.parts if p.strip())
            options = checked_options(text)
            value = options if options is not None else text
            if value == "":
                continue
            found.append((entry.top, RawField(entry.label, value, self._source(entry.label))))
        return found


def table_fields(rows: list[list[str | None]], file: str, page: int) -> list[RawField]:
    """A ruled table: label/value rows when it has two columns, else a header row."""
    clean = [[(c or "").replace("\n", " ").strip() for c in row] for row in rows]
    clean = [row for row in clean if any(row)]
    out: list[RawField] = []
    if clean and len(clean[0]) == 2 and not is_header_row(clean):
        for number, (label, value) in enumerate(clean, start=1):
            if label and value:
                out.append(
                    RawField(label, value, Source(file=file, page=page, row=number, field=label))
                )
        return out
    header = clean[0] if clean else []
    for number, row in enumerate(clean[1:], start=2):
        for label, value in zip(header, row, strict=False):
            if label and value:
                source = Source(file=file, page=page, row=number, field=label)
                out.append(RawField(label, value, source))
    return out


def page_fields(page, file: str, number: int) -> list[RawField]:
    """Every labelled value on one pdfplumber page, top to bottom."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(word: dict) -> bool:
        return not any(
            x0 - 1 <= word["x0"] and word["x1"] <= x1 + 1 and top - 1 <= word["top"] <= bottom
            for x0, top, x1, bottom in boxes
        )

    words = [w for w in page.extract_words(extra_attrs=["fontname"]) if outside(w)]
    # The text area's right edge, taking the right margin to mirror the left one.
    right = page.width - min(w["x0"] for w in words) if words else None
    reader = PageReader(file, number, right)
    for line in lines_of(words):
        reader.feed(line)
    found = reader.fields()
    for table in tables:
        found.extend((table.bbox[1], f) for f in table_fields(table.extract(), file, number))
    return [f for _, f in sorted(found, key=lambda item: item[0])]

"""How values read in a document: one date format, tidy punctuation, a context tidied."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Container
from typing import Any

from pipeline.writers.usage import NOT_READ

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@functools.lru_cache(maxsize=4096)  # a pure function of the date; dates recur across plans
def human_date(value: dt.date | None) -> str:
    """``March 4, 2025``; empty for no date. Locale-independent."""
    if value is None:
        return ""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


@functools.lru_cache(maxsize=4096)
def short_date(value: dt.date | None) -> str:
    """``03/04/2025`` (the US form most payer forms ask for); empty for no date."""
    return "" if value is None else f"{value.month:02d}/{value.day:02d}/{value.year}"


def iso_date(value: dt.date | None) -> str:
    """``2025-03-04``; empty for no date."""
    return "" if value is None else value.isoformat()


#: The date formats a payer profile can choose (``render: {date_format: short}``).
DATE_FORMATS: dict[str, Callable[[dt.date | None], str]] = {
    "long": human_date,
    "short": short_date,
    "iso": iso_date,
}

_MONTH = "|".join(MONTHS)
#: Dates written in free text, in any of the three forms (clinicians and the goal bank mix them).
_DATE_IN_TEXT = re.compile(  # (?=...): the first characters of a date, to skip the rest fast
    rf"\b(?=[\dADFJMNOS])(?:(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}})"
    rf"|(?P<mm>\d{{1,2}})/(?P<dd>\d{{1,2}})/(?P<yy>\d{{4}})"
    rf"|(?P<month>{_MONTH}) (?P<day>\d{{1,2}}), (?P<year>\d{{4}}))\b"
)
#: A span of days as the merge writes one (``merge/baseline.py``): "January 9-22, 2026",
#: "January 26 to February 8, 2026" (the year once, at the end).
_SPAN_IN_TEXT = re.compile(
    rf"\b(?P<m1>{_MONTH}) (?P<d1>\d{{1,2}})"
    rf"(?:-(?P<d2>\d{{1,2}})| to (?P<m2>{_MONTH}) (?P<d3>\d{{1,2}})), (?P<y>\d{{4}})\b"
)
#: Punctuation a join of two clauses leaves doubled: ".;" ".," ";;" ",," " ," and the like.
#: (?=...): the first character of every alternative, to skip the rest fast.
_DOUBLED = re.compile(
    r"(?=[\s.;,:])(?:\s*([.;,:])\s*([;,])|([;,])\s*\.(?!\.)|(?<!\.)\.\.(?!\.)|\s+([.;,:)]))"
)
_TRAILING = re.compile(r"[\s,;:·/|-]+$")
_LEADING = re.compile(r"^[\s,;:·/|]+")
_QUOTES = "\"'“”‘’"


#: A date as a document prints it (empty for none): one of :data:`DATE_FORMATS`.
DateFormat = Callable[[dt.date | None], str]


def _date_match(match: re.Match[str]) -> dt.date | None:
    g = match.groupdict()
    try:
        if g["y"]:
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g["yy"]:
            return dt.date(int(g["yy"]), int(g["mm"]), int(g["dd"]))
        return dt.date(int(g["year"]), MONTHS.index(g["month"]) + 1, int(g["day"]))
    except ValueError:
        return None


def _span(match: re.Match[str], date: Callable[[dt.date | None], str]) -> str:
    """A span of days in ``date``'s format ("01/09/2026 to 01/22/2026"), as it was if not
    a real span."""
    g = match.groupdict()
    year, first = int(g["y"]), MONTHS.index(g["m1"]) + 1
    last = MONTHS.index(g["m2"]) + 1 if g["m2"] else first
    try:
        start = dt.date(year, first, int(g["d1"]))
        end = dt.date(year, last, int(g["d2"] or g["d3"]))
    except ValueError:
        return match.group(0)
    return f"{date(start)} to {date(end)}" if start < end else match.group(0)


def _undouble(match: re.Match[str]) -> str:
    if match.group(4):  # a space before punctuation
        return match.group(4)
    if match.group(2):  # ".;" keeps the stronger separator that follows
        return match.group(2) if match.group(1) != ":" else match.group(1)
    if match.group(3):  # ";." ends the sentence
        return "."
    return "."  # ".."


#: Text that :func:`tidy` leaves as it is: words and single spaces, inner commas and
#: brackets, an optional final full stop; no digit (a date), quote or separator at either end.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z'’()]*(?:,? [A-Za-z'’()]+)*[A-Za-z)]\.?")


def tidy(text: Any, date: Callable[[dt.date | None], str] | None = None) -> str:
    """Text as a document prints it: one space between words, no doubled or trailing
    separators, no quotes wrapped around the whole, every date in ``date``'s format.

    A pure function of ``text`` and ``date``: each distinct string is tidied once and kept
    by its content (:data:`TIDY_CACHE_SIZE` strings a date format, then the table starts
    anew), since most strings of a batch's documents repeat from plan to plan."""
    if text is None:
        return ""
    if type(text) is not str:
        return _tidy(str(text), date)
    table = tidied(date)
    done = table.get(text)
    if done is None:
        done = text if _PLAIN.fullmatch(text) and text.lower() not in _LEAKED else _tidy(text, date)
        if len(table) >= TIDY_CACHE_SIZE:
            table.clear()
        table[text] = done
    return done


_LEAKED = ("none", "null", "n/a", "nan")
#: How many tidied strings :func:`tidy` keeps a date format (a bound on its memory).
TIDY_CACHE_SIZE = 32768
#: date format -> text -> the text tidied (see :func:`tidy`).
_TIDIED: dict[Callable[[dt.date | None], str] | None, dict[str, str]] = {}


def tidied(date: Callable[[dt.date | None], str] | None) -> dict[str, str]:
    """The strings :func:`tidy` has tidied for ``date``, by content: a lookup there answers
    as :func:`tidy` would (a miss: call it). Read it, never write it."""
    table = _TIDIED.get(date)
    if table is None:
        if len(_TIDIED) >= 8:  # date formats are few; a caller making new ones each time
            _TIDIED.clear()
        table = _TIDIED[date] = {}
    return table


def _tidy(text: str, date: Callable[[dt.date | None], str] | None) -> str:
    text = " ".join(text.split())
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    # Each search below runs only where it can match (the same result, sooner): a date
    # needs a digit; a doubled separator a comma, semicolon, ".." or a space before
    # punctuation; a trailing separator a last character of its class.
    if date is not None and _DIGIT.search(text):
        if date is not human_date and "," in text:  # a span's year follows a comma
            text = _SPAN_IN_TEXT.sub(lambda m: _span(m, date), text)
        text = _DATE_IN_TEXT.sub(_date_sub(date), text)
    if "," in text or ";" in text or ".." in text or _SPACED.search(text):
        text = _DOUBLED.sub(_undouble, text)
    if text and (text[-1] in _TRAILERS or text[-1].isspace()):
        text = _TRAILING.sub("", text)
    text = _LEADING.sub("", text)
    return "" if text.lower() in _LEAKED else text


def _date_sub(date: Callable[[dt.date | None], str]) -> Callable[[re.Match[str]], str]:
    """The replacement of a date found in text, in ``date``'s format: a pure function of the
    date's text (its groups follow from it), so each distinct one is written once (4,096
    kept a format, then the table starts anew)."""
    sub = _DATE_SUBS.get(date)
    if sub is None:
        known: dict[str, str] = {}

        def sub(match: re.Match[str]) -> str:
            found = match.group(0)
            done = known.get(found)
            if done is None:
                done = date(_date_match(match)) or found
                if len(known) >= 4096:
                    known.clear()
                known[found] = done
            return done

        if len(_DATE_SUBS) >= 8:
            _DATE_SUBS.clear()
        _DATE_SUBS[date] = sub
    return sub


_DATE_SUBS: dict[Callable[[dt.date | None], str], Callable[[re.Match[str]], str]] = {}
_DIGIT = re.compile(r"\d")
_SPACED = re.compile(r"\s[.;,:)]")
_TRAILERS = ",;:·/|-"


def tidy_all(value: Any, date: DateFormat, key: str = "") -> Any:
    """Every string of a context tidied (see :func:`tidy`); ``*_iso`` left as is.

    A new tree: the containers are copied, never changed, so a value shared by two places
    (or by two contexts) is never tidied in place."""
    if type(value) is dict:
        return _tidy_dict(value, date, tidied(date))
    if isinstance(value, str):
        return value if key.endswith("_iso") else tidy(value, date)
    if isinstance(value, dict):
        return {k: tidy_all(v, date, k) for k, v in value.items()}
    if isinstance(value, list):
        return [tidy_all(v, date, key) for v in value]
    return value


# The two walks below are tidy_all for dicts and lists, a value handled without a call each
# (a context holds some 600 values a plan) and a string looked up in ``done`` (tidied(date))
# before tidy is called; the key is read only for a string that tidy changes: *_iso keeps
# its own.


def _tidy_dict(value: dict[Any, Any], date: DateFormat, done: dict[str, str]) -> dict[Any, Any]:
    out = {}
    for k, v in value.items():
        kind = type(v)
        if kind is str:
            s = done.get(v)
            if s is None:
                s = tidy(v, date)
            out[k] = s if s == v or not k.endswith("_iso") else v
        elif kind is dict:
            out[k] = _tidy_dict(v, date, done)
        elif kind is list:
            out[k] = _tidy_list(v, date, done, k)
        elif kind in _SCALARS:
            out[k] = v
        else:
            out[k] = tidy_all(v, date, k)
    return out


def _tidy_list(value: list[Any], date: DateFormat, done: dict[str, str], key: str) -> list[Any]:
    out = []
    for v in value:
        kind = type(v)
        if kind is str:
            s = done.get(v)
            if s is None:
                s = tidy(v, date)
            out.append(s if s == v or not key.endswith("_iso") else v)
        elif kind is dict:
            out.append(_tidy_dict(v, date, done))
        elif kind in _SCALARS:
            out.append(v)
        else:
            out.append(tidy_all(v, date, key))
    return out


def tidy_used(context: dict[str, Any], date: DateFormat, used: dict[str, Any],
              ready: Container[str] = ()) -> dict[str, Any]:  # fmt: skip
    """The context as :func:`tidy_all` gives it, but only what a template reads: ``used`` is
    :func:`pipeline.writers.usage.fields_used` (key -> the keys read of its value, or None:
    all of it); a variable the template does not name is None, a key it does not read of a
    dict is left out (a template looping over a dict reads it whole). A variable in
    ``ready`` was made so already (tidied, only what is read, new containers)."""
    done = tidied(date)
    out: dict[str, Any] = {}
    for name, value in context.items():
        if name not in used:
            out[name] = None
            continue
        if name in ready:
            out[name] = value
            continue
        fields = used[name]
        out[name] = (
            tidy_all(value, date, name)
            if fields is None
            else tidy_read(value, date, done, fields, name)
        )
    return out


def tidy_read(value: Any, date: DateFormat, done: dict[str, str], fields: Any, key: str) -> Any:
    """``value`` tidied as :func:`tidy_all` would, keeping only the ``fields`` read."""
    kind = type(value)
    if kind is dict:
        if fields.iterated:
            return _tidy_dict(value, date, done)
        return used_dict(value, date, done, fields)
    if kind is list:
        each = fields.each
        if each is None or each is NOT_READ:
            return _tidy_list(value, date, done, key)
        return [tidy_read(v, date, done, each, key) for v in value]
    return tidy_all(value, date, key)


def used_dict(value: dict[str, Any], date: DateFormat, done: dict[str, str], fields: Any,
              ready: Container[str] = ()) -> dict[str, Any]:  # fmt: skip
    """A dict read by key (``fields`` not iterated) as :func:`tidy_used` gives it: the keys
    read, tidied; a container under a key in ``ready`` is already so and is kept as it is."""
    out = {}
    for k, sub in fields.items():
        v = value.get(k, _ABSENT)
        if v is _ABSENT:
            continue
        kind = type(v)
        if kind is str:  # most values: tidy_value's first case, without the call
            s = done.get(v)
            if s is None:
                s = tidy(v, date)
            out[k] = s if s == v or not k.endswith("_iso") else v
        elif kind in _SCALARS or (k in ready and kind is not str):
            out[k] = v
        else:
            out[k] = tidy_value(k, v, sub, date, done)
    return out


def tidy_value(k: str, v: Any, sub: Any, date: DateFormat, done: dict[str, str]) -> Any:
    """One value read under key ``k`` (``sub``: what is read of it), tidied; a string under
    an ``*_iso`` key is kept as it is."""
    kind = type(v)
    if kind is str:
        s = done.get(v)
        if s is None:
            s = tidy(v, date)
        return s if s == v or not k.endswith("_iso") else v
    if kind in _SCALARS:
        return v
    return tidy_all(v, date, k) if sub is None else tidy_read(v, date, done, sub, k)


_ABSENT = object()


#: Value types :func:`tidy_all` leaves as they are.
_SCALARS = frozenset({int, float, bool, type(None)})


#: A final full stop that ends an abbreviation ("after 6 p.m.", "e.g.", "etc."): part of the
#: word, kept when a sentence's full stop is taken off (CT-1003's "caffeine after 6 p.m."
#: read "caffeine after 6 p.m").
_ABBREVIATION = re.compile(
    r"(?:^|[^\w.])(?:[A-Za-z]\.){2,}$|\b(?:etc|vs|approx|incl|Dr|Mr|Mrs|Ms|Jr|Sr|St)\.$"
)


def clause(text: str) -> str:
    """A sentence without its final full stop, ready to be joined to another clause (an
    abbreviation's stays: "after 6 p.m.")."""
    if not text.endswith(".") or text.endswith("..") or _ABBREVIATION.search(text[-12:]):
        return text
    return text[:-1]


def joined(parts: Any, sep: str = "; ") -> str:
    """Non-empty parts joined by ``sep``, each without a final full stop (an abbreviation's
    stays: "caffeine after 6 p.m.")."""
    return sep.join([clause(p) if p[-1] == "." else p for p in parts if p])

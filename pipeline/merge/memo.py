"""Memos of the merge's pure steps, one set per goal bank: keyed by content, bounded in size.

A step whose answer depends only on the bank and on values it is given (a text, a goal's
words, the candidates' ids) is worked out once for those values. Keys hold the values
themselves, never a client's identity, so an answer is reused only for the same content;
each table is emptied when it reaches :data:`LIMIT` entries. A bank is recognised by identity
and kept with its tables (so its ``id()`` cannot be reused while they live); a process holds
tables for at most :data:`BANKS` banks.
"""

from __future__ import annotations

from typing import Any

#: Entries one table holds before it is emptied.
LIMIT = 8192
#: Banks whose tables a process keeps (a batch uses one).
BANKS = 4

_TABLES: dict[int, tuple[object, dict[str, dict[Any, Any]]]] = {}
#: The entry of :data:`_TABLES` asked for last (None after :func:`clear` empties them all).
_LAST: list[tuple[object, dict[str, dict[Any, Any]]] | None] = [None]


def table(bank: object, name: str) -> dict[Any, Any]:
    """The memo table ``name`` of this bank (a plain dict: look up, then store)."""
    last = _LAST[0]
    if last is not None and last[0] is bank:  # the bank asked about last (a batch has one)
        tables = last[1]
    else:
        entry = _TABLES.get(id(bank))
        if entry is None or entry[0] is not bank:
            if len(_TABLES) >= BANKS:
                _TABLES.clear()
            entry = _TABLES[id(bank)] = (bank, {})
        _LAST[0] = entry
        tables = entry[1]
    found = tables.get(name)
    if found is None or len(found) >= LIMIT:
        found = tables[name] = {}
    return found


def shared(name: str) -> dict[Any, Any]:
    """A table of that name for every bank (its entries keep the bank's row they were made
    from, checked by identity): emptied by :func:`clear` as the per-bank tables are; the
    caller bounds it to :data:`LIMIT` entries."""
    return _SHARED.setdefault(name, {})


_SHARED: dict[str, dict[Any, Any]] = {}


def clear(*names: str) -> None:
    """Forget the memo tables of those names, of every bank (all tables: none named)."""
    for name, found in _SHARED.items():
        if not names or name in names:
            found.clear()
    if not names:
        _TABLES.clear()
        _LAST[0] = None
    for _, tables in _TABLES.values():
        for name in names:
            tables.pop(name, None)

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
#: The bank asked about last and its tables, the entry of :data:`_TABLES` (None and a dict
#: of no bank after :func:`clear` empties them all): a batch's one bank is found by one test.
_BANK: object = None
_BANK_TABLES: dict[str, dict[Any, Any]] = {}


def table(bank: object, name: str) -> dict[Any, Any]:
    """The memo table ``name`` of this bank (a plain dict: look up, then store)."""
    if bank is _BANK:  # the bank asked about last (a batch has one)
        found = _BANK_TABLES.get(name)
        if found is not None and len(found) < LIMIT:
            return found
    return _table(bank, name)


def _table(bank: object, name: str) -> dict[Any, Any]:
    """:func:`table` for another bank than the last, or a table missing or full."""
    global _BANK, _BANK_TABLES
    entry = _TABLES.get(id(bank))
    if entry is None or entry[0] is not bank:
        if len(_TABLES) >= BANKS:
            _TABLES.clear()
        entry = _TABLES[id(bank)] = (bank, {})
    _BANK, _BANK_TABLES = entry
    found = _BANK_TABLES.get(name)
    if found is None or len(found) >= LIMIT:
        found = _BANK_TABLES[name] = {}
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
        global _BANK, _BANK_TABLES
        _TABLES.clear()
        _BANK, _BANK_TABLES = None, {}
    for _, tables in _TABLES.values():
        for name in names:
            tables.pop(name, None)

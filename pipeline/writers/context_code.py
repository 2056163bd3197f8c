"""A template's whole context made by one Python function generated for the template.

:func:`generate` writes, once per template, the function that makes the variables the
template uses in the context's order: each variable made of named keys that the template
reads by key (:data:`~pipeline.writers.variables.SECTIONS`) has its keys' expressions written
inline, each value tidied as :func:`~pipeline.writers.wording.used_dict` would, in the order
the template reads them; any other variable is made by its maker and tidied as the template
reads it. No call a key, no generic loop: the same values as the maker-by-maker way
(tests/writers/test_context_code.py). The source is made only of the constant tables of
:mod:`pipeline.writers.variables` and names chosen here, never of a template's text.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

from pipeline.writers.usage import Fields
from pipeline.writers.variables import LISTS, NAMESPACE, SECTIONS
from pipeline.writers.wording import tidy, tidy_all, tidy_read, tidy_value

#: A generated context maker: (made, date format, its tidied strings, variables made ready)
#: -> the context.
Build = Callable[[Any, Any, dict[str, str], set[str]], dict[str, Any]]


def generate(variables: Iterable[str], names: Container[str],
             order: Iterable[tuple[str, Any, Any]], label: str = "template") -> Build:  # fmt: skip
    """The function making the context of ``variables`` (every name, in the context's
    order: the ones not in ``order`` are None) for a template using ``names``, whose
    ``order`` entries are (name, maker, the fields the template reads of it) of the
    variables the template uses and reads. A list variable of :data:`LISTS` is made here
    only when no variable made of the same list is used (else by its maker)."""
    namespace: dict[str, Any] = {
        **NAMESPACE,
        "_tidy": tidy,
        "_value": tidy_value,
        "_all": tidy_all,
        "_read": tidy_read,
    }
    lines = ["def build(m, _date, _done, _ready):"]
    made: dict[str, str] = {}
    for i, (name, make, fields) in enumerate(order):
        out = made[name] = f"_c{i}"
        section = SECTIONS.get(name)
        if section is not None and isinstance(fields, Fields) and not fields.iterated:
            lines += _section(i, out, section, fields, namespace)
            continue
        items = LISTS.get(name)
        each = fields.each if isinstance(fields, Fields) else None
        if items is not None and isinstance(each, Fields) and not each.iterated:
            source, keys, others = items
            if not any(other in names for other in others):
                lines += _items(i, out, source, keys, each, namespace)
                continue
        namespace[f"_m{i}"], namespace[f"_f{i}"] = make, fields
        tidied = (f"_all(v, _date, {name!r})" if fields is None
                  else f"_read(v, _date, _done, _f{i}, {name!r})")  # fmt: skip
        lines += [f"    v = _m{i}(m)", f"    {out} = v if {name!r} in _ready else {tidied}"]
    context = ", ".join(f"{name!r}: {made.get(name, 'None')}" for name in variables)
    lines.append(f"    return {{{context}}}")
    source = "\n".join(lines) + "\n"
    exec(compile(source, f"<context of {label}>", "exec"), namespace)  # noqa: S102
    build: Build = namespace["build"]
    build.source = source  # type: ignore[attr-defined]  # for a reader (and the tests)
    return build


def _section(i: int, out: str, section: tuple[str, dict[str, str], bool], fields: Fields,
             namespace: dict[str, Any]) -> list[str]:  # fmt: skip
    """The lines making section variable ``i`` read by key: ``x`` its part of the plan, then
    each key the template reads and the section has, in the template's order, tidied."""
    root, keys, optional = section
    lines = [f"    x = {root}"]
    pad = "    "
    if optional:  # the variable is None when its part of the plan is
        lines += ["    if x is None:", f"        {out} = None", "    else:"]
        pad = "        "
    made, items = _keys(i, pad, keys, fields, namespace)
    return [*lines, *made, f"{pad}{out} = {items}"]


def _items(i: int, out: str, source: str, keys: dict[str, str], each: Fields,
           namespace: dict[str, Any]) -> list[str]:  # fmt: skip
    """The lines making list variable ``i`` whose items are read by key: for each part ``x``
    of ``source``, the keys the template reads and the table has, tidied."""
    made, items = _keys(i, "        ", keys, each, namespace)
    return [f"    {out} = []", f"    for x in {source}:", *made, f"        {out}.append({items})"]


def _keys(i: int, pad: str, keys: dict[str, str], fields: Fields,
          namespace: dict[str, Any]) -> tuple[list[str], str]:  # fmt: skip
    """The lines making each key of ``keys`` that ``fields`` reads, in the template's order,
    into ``_k0``, ``_k1``... tidied as :func:`~pipeline.writers.wording.used_dict` would, and
    the dict display of them."""
    lines, items = [], []
    for j, (key, sub) in enumerate((k, s) for k, s in fields.items() if k in keys):
        local = f"_k{j}"
        lines.append(f"{pad}v = {keys[key]}")
        if key.endswith("_iso"):  # a string under *_iso is kept as it is
            lines += [f"{pad}if type(v) is str:", f"{pad}    {local} = v"]
        else:
            lines += [
                f"{pad}if type(v) is str:",
                f"{pad}    {local} = _done.get(v)",
                f"{pad}    if {local} is None:",
                f"{pad}        {local} = _tidy(v, _date)",
            ]
        namespace[f"_s{i}_{j}"] = sub
        lines += [
            f"{pad}elif v is None:",
            f"{pad}    {local} = None",
            f"{pad}else:",
            f"{pad}    {local} = _value({key!r}, v, _s{i}_{j}, _date, _done)",
        ]
        items.append(f"{key!r}: {local}")
    return lines, "{" + ", ".join(items) + "}"

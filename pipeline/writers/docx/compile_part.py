"""One part's patched source compiled once a process (shared by every template compiled from it).

A worker compiles a payer's template with and without DRAFT: the two share the main
document's source (only the header changes), and each of its forms (as it is, its values
measured, its marked form) was parsed and generated on its own, about seven parses a part.
:func:`compiled_part` parses a source once, reads that one tree for everything the fast
path proves of it (the proof, the names, the tables, the budgets), compiles only the forms
that are rendered (docxtpl's newline form is compiled on first need: :attr:`Part.lined`),
and keeps the result by content (the part's name, source and fixed bytes, and the sandbox)
for the next template with the same part. A result is immutable; a compiled template's
per-plan state (last values, bytes) is the caller's.
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict
from typing import NamedTuple

import jinja2
from jinja2 import meta, nodes

from pipeline.writers import sandbox
from pipeline.writers.docx import budget, proof, rows, stitch
from pipeline.writers.docx.parts import Part, marked, part_bytes
from pipeline.writers.docx.tables import fixed_structure
from pipeline.writers.fixed_zip import QUICK, Entry, member

#: Level of the per-plan compression (fast; output stays deterministic at a fixed level).
LEVEL = QUICK
#: Compression level of the parts compressed once per batch (the stock writer's level).
STATIC_LEVEL = 6
JINJA = ("{{", "{%", "{#")
#: Compiled parts kept (a build uses a few templates, each a body and a few headers).
PARTS_SIZE = 32


def has_jinja(text: str) -> bool:
    return any(mark in text for mark in JINJA)


class Done(NamedTuple):
    """A compiled part: what a template holds for it, and what it tells the template."""

    item: Entry | Part  #: rendered per plan, or its bytes (a source with no Jinja at all)
    body_rows: rows.BodyRows | None  #: the main document's (see :mod:`.rows`); else None
    names: frozenset[str]  #: the context variables it uses
    tree: nodes.Template | None  #: its syntax tree (read by ``usage.fields_used``), if Jinja


def env_key() -> tuple:
    """What of the sandbox a compiled part depends on."""
    return (sandbox.make_env, tuple(sorted(sandbox.SAFE_GLOBALS)))


_ENVS: dict[tuple, jinja2.Environment] = {}
_PARTS: OrderedDict[tuple, Done] = OrderedDict()


def shared_env() -> jinja2.Environment:
    """The process's sandboxed environment for compiled parts, its printing wrapped to check
    and measure each value (:mod:`.proof`); the same for every part of the same sandbox."""
    key = env_key()
    env = _ENVS.get(key)
    if env is None:
        env = sandbox.make_env()
        inner = getattr(sandbox, "_escape_inner", None)
        env.escaped = proof.checking(env.escaped, inner)  # type: ignore[attr-defined]
        env.measured = proof.measuring(env.escaped, inner)  # type: ignore[attr-defined]
        # what both give a printable str, escaped in place by the compiled code (a call
        # fewer a value printed: see sandbox.QUICK_TEXT)
        setattr(env, sandbox.QUICK_TEXT, env.escaped.text)  # type: ignore[attr-defined]
        _ENVS.clear()
        _ENVS[key] = env
    return env


def clear() -> None:
    """Forget every compiled part (and the environment)."""
    _PARTS.clear()
    _ENVS.clear()


def compiled_part(name: str, source: str, prefix: bytes, suffix: bytes, *, body: bool) -> Done:
    """The part ``name`` of patched ``source`` between ``prefix`` and ``suffix``, compiled
    (or, for a source with no Jinja, its bytes as a member); the same object again for the
    same inputs in this process."""
    env = shared_env()
    key = (env_key(), name, source, prefix, suffix, body)
    done = _PARTS.get(key)
    if done is None:
        done = _compile(env, name, source, prefix, suffix, body)
        _PARTS[key] = done
        if len(_PARTS) > PARTS_SIZE:
            _PARTS.popitem(last=False)
    else:
        _PARTS.move_to_end(key)
    return done


def _compile(env: jinja2.Environment, name: str, source: str, prefix: bytes, suffix: bytes,
             body: bool) -> Done:  # fmt: skip
    lined = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
    body_rows = rows.body_rows(source, prefix, suffix) if body else None
    if not has_jinja(source):
        tables = body and not fixed_structure(source, env)
        part = Part(name, env.from_string(source), lined, prefix, suffix, body, tables)
        data = part_bytes(part, {})[0]
        if body:  # tall rows freed as in a rendered body (then compressed per plan's level)
            freed = rows.split_tall_rows_part(data)
            if freed is not data:
                return Done(member(name, freed, LEVEL), body_rows, frozenset(), None)
        return Done(member(name, data, STATIC_LEVEL), body_rows, frozenset(), None)
    tree = env.parse(source)  # (read below, never changed but for the budgets' marks)
    tables = body and not fixed_structure(source, env, tree)
    sound = proof.proven(tree, prefix, suffix, nodes.EvalContext(env))
    used = frozenset(meta.find_undeclared_variables(tree))
    template = _measured(env, tree, body_rows) if body and sound else None
    if template is None:
        template = env.from_string(tree)
    form, marks = marked(env, source, tree) if sound else (None, ())
    part = Part(name, template, lined, prefix, suffix, body, tables, sound, tuple(used), form,
                marks, _is_measured(tree))  # fmt: skip
    pieces = stitch.stitchable(part)
    if pieces is not None:  # (a header: its long literal text deflated once, see .stitch)
        part = dataclasses.replace(part, stitch=stitch.table(pieces, marks))
    return Done(part, body_rows, used, tree)


def _is_measured(tree: nodes.Template) -> bool:
    return any(hasattr(node, budget.KEY) for node in budget.sites(tree))


def _measured(env: jinja2.Environment, tree: nodes.Template,
              body_rows: rows.BodyRows | None) -> jinja2.Template | None:  # fmt: skip
    """The main document compiled with its printed values measured against their budgets
    (:mod:`.budget`, marked on ``tree``), when its rows can be freed on a page every sound
    rendering names and the compiled code measures each of them; else None, ``tree``
    unmarked (every rendering is scanned)."""
    area = body_rows.area if body_rows is not None else None
    if body_rows is None or not body_rows.splittable or area is None:
        return None
    given = budget.budgets(tree, rows.SPLIT_FRACTION * area)
    if given is None:
        return None
    expected = budget.annotate(tree, given)
    code = env.compile(tree, raw=True)
    if code.count("environment.measured(") != expected:
        for node in budget.sites(tree):
            if hasattr(node, budget.KEY):
                delattr(node, budget.KEY)
        return None
    return env.template_class.from_code(env, env._compile(code, "<template>"),  # noqa: SLF001
                                        env.make_globals(None), None)  # fmt: skip


__all__ = ["LEVEL", "PARTS_SIZE", "STATIC_LEVEL", "Done", "clear", "compiled_part", "env_key",
           "has_jinja", "shared_env"]  # fmt: skip

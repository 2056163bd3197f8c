"""The one place that names template variables: plan + payer + agency -> plain, tidy values.

Every template (DOCX, the PDF form's field map, the client copy) sees exactly the dict
:func:`build_context` returns: strings, numbers, booleans, None, lists and dicts, never a
model object, so a template cannot reach into Python. Every date is in the payer profile's
one format (``render: {date_format: long|short|iso}``, long by default: "March 4, 2025"),
also inside free text; the ISO form is beside a date as ``*_iso`` where a form needs it.
Every string is tidied (no doubled or trailing separators, no wrapping quotes, no "None"),
and what a template would print by joining values is composed here, so a missing value
leaves no bare label or dangling "; ": templates print ``empty`` (the profile's
``render: {empty_text: ...}``) or omit the paragraph.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from operator import attrgetter as _at
from typing import Any

from pipeline.clinical.risk import safety_plan_gaps
from pipeline.model import Plan
from pipeline.writers.context_code import Build, generate
from pipeline.writers.cut import content_number, cut_item, cut_tree, model_key
from pipeline.writers.progress import Progress, progress_of
from pipeline.writers.review_columns import ReviewHistory, review_history
from pipeline.writers.sections import (
    agency_values,
    diagnosis_values,
    measure_values,
    plain_values,
    progress_context,
    service_context,
    service_lines,
)
from pipeline.writers.usage import Fields, shape
from pipeline.writers.variables import section
from pipeline.writers.views import (
    GOAL_ITEMS,
    ItemCut,
    authorization,
    certification,
    goal_fields,
    goal_view,
    grid,
)
from pipeline.writers.wording import (
    DATE_FORMATS,
    DateFormat,
    joined,
    tidied,
    tidy_all,
    used_dict,
)

#: Review points of the state-Medicaid grid, in days after the plan date.
REVIEW_POINTS = (90, 180, 270)

#: What a template prints for a value the plan does not have, unless the profile says.
EMPTY_TEXT = "Not recorded"


def anchor_date(plan: Plan) -> dt.date | None:
    """The date a document is "as of": the plan date, else the intake date."""
    return plan.plan_date or plan.intake_date


def render_options(payer: Any) -> dict[str, Any]:
    """The payer profile's ``render:`` options (none for the client copy's audience)."""
    return dict(getattr(payer, "render", None) or {})


def date_format(payer: Any) -> DateFormat:
    """The payer profile's date format (``render: {date_format: ...}``, long by default)."""
    name = str(render_options(payer).get("date_format", "long"))
    return DATE_FORMATS.get(name, DATE_FORMATS["long"])


class _once:  # noqa: N801 (a decorator, named as functools.cached_property)
    """``functools.cached_property`` without its lock (Python 3.11 takes one a first use):
    a :class:`_Made` is made and used by one call of :func:`build_context`, in one thread.
    The value made is put in the instance's dict, which answers every later use."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        self.make, self.name, self.__doc__ = make, make.__name__, make.__doc__

    def __get__(self, made: Any, owner: type | None = None) -> Any:
        if made is None:
            return self
        value = made.__dict__[self.name] = self.make(made)
        return value


class _Made:
    """What several variables are made from (goals with their reviews, services, ...), each
    made on first use, so a template gets only what its variables need."""

    def __init__(self, plan: Plan, payer: Any, agency: Any, draft: bool,
                 names: Container[str] | None = None, fields: Fields | None = None,
                 shared: bool = False) -> None:  # fmt: skip
        self.plan, self.payer, self.agency, self.draft = plan, payer, agency, draft
        self.shared = shared  # the caller only reads the context: kept items not copied
        self.options = options = render_options(payer)
        self.date = DATE_FORMATS.get(str(options.get("date_format", "long")), DATE_FORMATS["long"])
        self.anchor = anchor_date(plan)
        self.names, self.fields = names, fields
        self.ready: set[str] = set()  # variables made as the template reads them (tidied)

    def reads(self, *path: str) -> bool:
        """Whether the template may read this key path ("[]": a list's items): a key known
        unread need not be made (what the template reads: :mod:`pipeline.writers.usage`)."""
        return self.names is None or self.fields is None or self.fields.reads(path)

    def picks(self, name: str, makers: dict[str, Any]) -> Any:
        """The (key, maker) pairs of variable ``name`` the template may read (all of them
        without fields), in ``makers``' order. Found once per template (kept on its fields)."""
        if self.names is None or self.fields is None:
            return makers.items()
        known = self.fields.__dict__.get("known")
        if known is None:
            known = self.fields.known = {}
        found = known.get((_PICKS, name))
        if found is None:
            found = known[(_PICKS, name)] = tuple(
                (k, make) for k, make in makers.items() if self.fields.reads((name, k))
            )
        return found

    def _goal_reads(self, *path: str) -> bool:
        """Whether anything reads this key path of a goal (the goals feed four variables)."""
        if self.names is None or any(n in self.names for n in ("interventions", "grid", "plain")):
            return True
        return self.reads("goals", "[]", *path)

    @_once
    def points(self) -> tuple[int, ...]:
        return tuple(self.options.get("review_columns_days") or REVIEW_POINTS)

    @_once
    def reviews(self) -> list[dict[str, Any]]:
        anchor, date = self.anchor, self.date
        return [
            {"days": days, "date": date(anchor + dt.timedelta(days=days)) if anchor else ""}
            for days in self.points
        ]

    @_once
    def history(self) -> ReviewHistory:  # what each recorded review said
        return review_history(self.plan, self.anchor, self.points, self.date)

    @_once
    def goals(self) -> list[dict[str, Any]]:
        cut = self._goal_cut()
        if cut is not None:  # made as the template reads them: build_context keeps them
            each, items = cut
            self.ready.add("goals")
            date, done, form, shared = self.date, items.done, shape(each), self.shared
            return [  # a goal is a pure function of its content, its number and these
                cut_tree((_GOAL, n, content_number(g), date, form),
                         lambda n=n, g=g: used_dict(goal_view(n, g, date, cut=items), date,
                                                    done, each, GOAL_ITEMS), shared=shared)
                for n, g in enumerate(self.plan.goals, start=1)
            ]  # fmt: skip
        outline = self._goal_reads("outline") or self._goal_reads("outline_rest")
        goals = [goal_view(n, g, self.date, outline=outline)
                 for n, g in enumerate(self.plan.goals, start=1)]  # fmt: skip
        if self._goal_reads("objectives", "[]", "reviews"):
            for goal in goals:
                for objective in goal["objectives"]:
                    objective["reviews"] = self.history.for_objective(objective["id"])
        return goals

    def _goal_cut(self) -> tuple[Fields, ItemCut] | None:
        """What the template reads of each goal and how its items are made, when the goals
        can be made as the template reads them (only the ``goals`` variable reads them, by
        key; their objectives and interventions by key or not at all; no outline, no
        objective reviews); else None: made whole, then tidied and cut."""
        if self.names is None or self.fields is None:
            return None
        if any(n in self.names for n in ("interventions", "grid", "plain")):
            return None
        fields = goal_fields(self.fields)
        if fields is None:
            return None
        known = self.fields.known  # goal_fields made it
        items = known.get((_ITEM_CUT, self.date))
        if items is None:
            items = known[(_ITEM_CUT, self.date)] = ItemCut(fields[1], fields[2], self.date)
        return fields[0], items

    def _list_cut(self, name: str, others: tuple[str, ...]) -> tuple[Fields, Any] | None:
        """The fields read of each item of list variable ``name`` and their shape, when its
        items can be made already cut (:func:`~pipeline.writers.cut.cut_item`): the template
        reads them by key and no variable in ``others`` (made from the same list) is used.
        ``name`` is then added to :attr:`ready`. Found once per template (on its fields)."""
        names, fields = self.names, self.fields
        if names is None or fields is None:
            return None
        known = fields.__dict__.get("known")
        if known is None:
            known = fields.known = {}
        found = known.get((_LIST_CUT, name))
        if found is None or found[0] is not names:
            node = fields.get(name)
            each = node.each if isinstance(node, Fields) else None
            cut = None
            if not any(n in names for n in others) and isinstance(each, Fields):
                cut = None if each.iterated else (each, shape(each))
            found = known[(_LIST_CUT, name)] = (names, cut)
        if found[1] is not None:
            self.ready.add(name)
        return found[1]

    @_once
    def services(self) -> list[dict[str, Any]]:
        plan = self.plan  # each service lists the treatments its code bills (sections.py)
        lines = service_lines(plan)
        cut = self._list_cut("services", ("service", "authorization"))
        if cut is None:
            return [service_context(s, m) for s, m in zip(plan.services, lines, strict=True)]
        date, done, shared = self.date, tidied(self.date), self.shared
        return [cut_item(("service", content_number(s), m),  # services are shared parts
                         lambda s=s, m=m: service_context(s, m), *cut, date, done,
                         shared=shared)
                for s, m in zip(plan.services, lines, strict=True)]  # fmt: skip

    @_once
    def measures(self) -> list[dict[str, Any]]:
        known = self.plan.measures_known()  # none after the plan
        cut = self._list_cut("measures", ("measures_text",))
        if cut is None:
            return [measure_values(m, self.date) for m in known]
        date, done = self.date, tidied(self.date)  # not kept: a client's scores and dates
        return [used_dict(measure_values(m, date), date, done, cut[0]) for m in known]

    @_once
    def diagnoses(self) -> list[dict[str, Any]]:
        cut = self._list_cut("diagnoses", ("diagnoses_text",))
        if cut is None:
            return [diagnosis_values(d) for d in self.plan.diagnoses]
        date, done, shared = self.date, tidied(self.date), self.shared
        return [cut_item(model_key("diagnosis", d), lambda d=d: diagnosis_values(d), *cut,
                         date, done, shared=shared) for d in self.plan.diagnoses]  # fmt: skip

    @_once
    def days_to_plan(self) -> int | None:
        plan = self.plan
        if plan.plan_date and plan.intake_date:
            return (plan.plan_date - plan.intake_date).days
        return None

    @_once
    def progress(self) -> list[Progress]:
        return progress_of(self.plan)

    @_once
    def sources(self) -> list[str]:
        return [str(s) for s in self.plan.provenance.sources]


#: The key of a template's ItemCut for a date format among its fields' kept answers.
_ITEM_CUT = object()
#: The key of a variable's picked makers among a template's fields' kept answers.
_PICKS = object()
#: The key of a list variable's item fields and shape among a template's fields' kept answers.
_LIST_CUT = object()
#: The key of a template's generated context maker among its fields' kept answers.
_CODE = object()
#: The name of a goal made as a template reads it among the kept trees (cut.cut_tree).
_GOAL = "goal"


#: Every template variable, in the context's order, and how it is made.
VARIABLES: dict[str, Callable[[_Made], Any]] = {
    "empty": lambda m: str(m.options.get("empty_text", EMPTY_TEXT)),
    "client": lambda m: section(m, "client"),
    "intake_date": lambda m: m.date(m.plan.intake_date),
    "plan_date": lambda m: m.date(m.plan.plan_date),
    "days_intake_to_plan": _at("days_to_plan"),
    "plan_date_text": lambda m: joined([m.date(m.plan.plan_date),
        f"({m.days_to_plan} days after intake)" if m.days_to_plan is not None else ""], " "),
    "presenting": lambda m: section(m, "presenting"),
    "assessment": lambda m: section(m, "assessment"),
    "risk": lambda m: section(m, "risk"),
    "diagnoses": _at("diagnoses"),
    "diagnoses_text": lambda m: joined([d["label"] for d in m.diagnoses]),
    "primary_diagnosis": lambda m: diagnosis_values(m.plan.primary_diagnosis)
        if m.plan.diagnoses else None,
    "formulation": lambda m: section(m, "formulation"),
    "measures": _at("measures"),
    "measures_text": lambda m: joined([f"{x['instrument']} {x['score']} "
        f"({x['severity'] or 'no severity'})" for x in m.measures]),
    "progress": lambda m: progress_context(m.plan, m.date, m.progress,
                                           lambda key: m.reads("progress", "[]", key)),
    "goals": _at("goals"),
    "interventions": lambda m: [iv | {"goal": g["number"]} for g in m.goals
                                for iv in g["interventions"]],
    "grid": lambda m: grid(m.goals, m.reviews),
    "services": _at("services"),
    "service": lambda m: m.services[0] if m.services else None,
    "has_safety_plan": lambda m: m.plan.safety_plan is not None,
    #: the payer form's "safety plan in place": only a complete plan, never a skeleton
    "safety_plan_complete": lambda m: m.plan.safety_plan is not None
        and not safety_plan_gaps(m.plan.safety_plan),
    "safety_plan": lambda m: section(m, "safety_plan")
        if m.plan.safety_plan is not None else None,
    "review": lambda m: section(m, "review"),
    "signatures": lambda m: section(m, "signatures"),
    "certification": lambda m: certification(m.plan, m.anchor, m.date),
    "authorization": lambda m: authorization(m.plan, m.services, m.date),
    "plain": lambda m: plain_values(m.plan, m.goals, m.services, m.progress),
    "agency": lambda m: agency_values(m.agency),
    "payer": lambda m: {"id": m.payer.id, "name": m.payer.name},
    "draft": _at("draft"),
    "generated_from": lambda m: section(m, "generated_from"),
}  # fmt: skip


def build_context(plan: Plan, payer: Any, agency: Any, *, draft: bool = False,
                  names: Container[str] | None = None, fields: Fields | None = None,
                  shared: bool = False) -> dict[str, Any]:  # fmt: skip
    """Every template variable, as plain values (see README, 'Templates and rendering').

    ``names`` are the variables a template uses (None, or one that says ``*``: all); the
    others are None (made, tidied and copied for nothing otherwise): a template cannot see
    a variable it does not use. ``fields``, what the template reads of them
    (:func:`pipeline.writers.usage.fields_used`), leaves out the keys it does not read.
    What several variables share is made once (:class:`_Made`). ``shared``: the caller only
    reads the context (a template rendered in the immutable sandbox), so the items kept by
    content (goals, services, diagnoses: :mod:`~pipeline.writers.cut`) are handed out as
    they are kept, not copied: the context must then never be changed.
    """
    if names is not None and "*" in names:
        names = None
    made = _Made(plan, payer, agency, draft, names, fields if names is not None else None,
                 shared)  # fmt: skip
    if fields is not None and names is not None:  # tidy_used's context, by the template's code
        return template_code(names, fields)(made, made.date, tidied(made.date), made.ready)
    context = {
        name: make(made) if names is None or name in names else None
        for name, make in VARIABLES.items()
    }
    return tidy_all(context, made.date)


def template_code(names: Container[str], fields: Fields) -> Build:
    """The function making the context of a template that uses ``names`` and reads
    ``fields`` of them (:mod:`pipeline.writers.context_code`), from the variables it uses and
    reads, in the context's order, with the fields read of each. Generated once per template
    (kept on its fields, with its names)."""
    known = fields.__dict__.get("known")
    if known is None:
        known = fields.known = {}
    found = known.get(_CODE)
    if found is None or found[0] is not names:
        order = tuple((name, make, fields[name]) for name, make in VARIABLES.items()
                      if name in names and name in fields)  # fmt: skip
        found = known[_CODE] = (names, generate(VARIABLES, names, order))
    return found[1]


def untidied_context(plan: Plan, payer: Any, agency: Any, names: Container[str], *,
                     draft: bool = False) -> tuple[dict[str, Any], DateFormat]:  # fmt: skip
    """The variables ``names`` made whole and not tidied (others None), and the date format:
    what :func:`build_context` made before it made each variable as the template reads it
    (``tidy_used`` of this is what it gives; tests/properties/test_context_cut.py)."""
    made = _Made(plan, payer, agency, draft)
    return {n: make(made) if n in names else None for n, make in VARIABLES.items()}, made.date

"""Option decorators shared by verbs: ``--store``, and the build options of build and watch.

``build`` and ``watch`` take the same build options from :func:`build_options`, which
collects them into one :class:`BuildSpec` argument, so the two verbs cannot drift apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from pipeline.batch.build import FORMATS, BuildOptions
from pipeline.batch.decision import ALL, PayerChoice, choose_payers
from pipeline.batch.limits import available_cpus
from pipeline.profiles import AgencyProfile, list_payers, load_agency
from pipeline.versions.store import ENV_VAR, Store
from pipeline.writers import RENDERERS


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--store PATH`` (the plan version database) to a command."""
    return click.option(
        "--store",
        "store_path",
        metavar="PATH",
        type=click.Path(dir_okay=False),
        help=f"Plan version database (default: ${ENV_VAR}, else "
        "~/.local/share/txplan/plans.sqlite3).",
    )(func)


def payer_ids(value: str) -> list[str]:
    """``a,b`` (or ``all``) as payer ids, each once; a usage error when none is given, or
    when ``all`` is given with other ids."""
    ids = list(dict.fromkeys(p.strip() for p in value.split(",") if p.strip()))
    if not ids:
        raise click.BadParameter("give at least one payer id, or all", param_hint="--payer")
    if ALL in ids and len(ids) > 1:
        raise click.BadParameter(
            f"{ALL} (each client's own payers and the clinical plan) stands alone; give "
            f"{ALL}, or the payer ids to build for every client (known: "
            f"{', '.join(list_payers())})",
            param_hint="--payer",
        )
    return ids


def payer_choice(value: str) -> PayerChoice:
    """The payers ``--payer`` names (``all``: each client's own, chosen by the library)."""
    return choose_payers(payer_ids(value))


def formats(value: str) -> tuple[str, ...]:
    """``docx,pdf,fhir`` as output formats; a usage error for anything else."""
    found = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in found if f not in FORMATS]
    if bad or not found:
        raise click.BadParameter(
            f"{', '.join(bad) or 'nothing'} is not a format; use docx, pdf, fhir or a list "
            "(docx,pdf,fhir)",
            param_hint="--format",
        )
    return found


@dataclass(frozen=True)
class BuildSpec:
    """The build options as given on the command line (see :func:`build_options`)."""

    payer_ids: str
    agency_id: str
    formats: str
    draft: bool
    client_copy: bool
    flatten: bool | None
    goalbank: str | None
    workers: int | None
    cluster: str | None
    timeout: float
    pdf_stall: float | None
    renderer: str
    rebuild: bool
    store_path: str | None

    def payers(self) -> PayerChoice:
        return payer_choice(self.payer_ids)

    def agency(self) -> AgencyProfile:
        return load_agency(self.agency_id)

    def options(self, out_dir: Path, **extra: Any) -> BuildOptions:
        """The library's build options for one build into ``out_dir`` (a fresh store handle
        unless ``extra`` gives ``store``); ``extra`` sets or overrides any other field."""
        given: dict[str, Any] = {
            "out_dir": Path(out_dir),
            "formats": formats(self.formats),
            "draft": self.draft,
            "client_copy": self.client_copy,
            "flatten": self.flatten,
            "goalbank": Path(self.goalbank) if self.goalbank else None,
            "workers": self.workers or available_cpus(),
            "cluster": self.cluster or None,
            "timeout": self.timeout,
            "pdf_stall": self.pdf_stall,
            "renderer": self.renderer,
            "resume": not self.rebuild,
            "keep_rows": False,
        }
        given.update(extra)
        if "store" not in given:
            given["store"] = Store(self.store_path)
        return BuildOptions(**given)


_BUILD_OPTIONS = [
    click.option("--payer", "payer_ids", required=True, metavar="ID[,ID...]|all",
                 help="Payer profile(s) to render for every client (templates/payers/<id>/), "
                 "or all: for each client, the payers their intake's coverage names (payer "
                 "name, else member id format) and the clinical plan."),
    click.option("--agency", "agency_id", required=True, metavar="ID",
                 help="Agency whose letterhead and clinicians apply (templates/agencies/<id>/)."),
    click.option("--format", "formats", default="docx", show_default=True,
                 metavar="docx,pdf,fhir",
                 help="Output formats; PDF comes from the DOCX through one LibreOffice per "
                 "batch; fhir writes each plan as a FHIR R4 Bundle (<name>.fhir.json) beside "
                 "each payer's document."),
    click.option("--draft", is_flag=True,
                 help="Render plans that fail a payer rule anyway, DRAFT on every page."),
    click.option("--client-copy", is_flag=True,
                 help="Also write a plain-language copy for each client (no codes or jargon)."),
    click.option("--flatten", is_flag=True, default=None,
                 help="Flatten filled PDF forms (values become page content, fields removed)."),
    click.option("--goalbank", type=click.Path(dir_okay=False),
                 help="Goal bank workbook to merge with (default: the bundled goalbank.xlsx)."),
    click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
                 help="Worker processes rendering plans (default: the cores available; "
                 "1 = in-process)."),
    click.option("--cluster", envvar="TXPLAN_CLUSTER", default=None, metavar="ADDRESS|local:N",
                 help="Render on a Dask cluster: a scheduler's address (tcp://host:8786) or "
                 "local:N (N local worker processes); also TXPLAN_CLUSTER. Needs pip install "
                 "'txplan[cluster]'; documents come back to this machine, which writes them, "
                 "the manifest and PDFs."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
                 show_default=True, metavar="SECONDS",
                 help="Time limit of each render; a render that overruns fails its document "
                 "only."),
    click.option("--pdf-stall", "pdf_stall", envvar="TXPLAN_PDF_STALL", default=None,
                 type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
                 help="With --format pdf: seconds LibreOffice may go without finishing a "
                 "document before it is stopped and that document fails (default 60; also "
                 "TXPLAN_PDF_STALL). A LibreOffice that twice produces no first PDF fails the "
                 "rest at once."),
    click.option("--renderer", type=click.Choice(RENDERERS), default="auto", show_default=True,
                 help="DOCX renderer: auto (fast path, stock docxtpl where needed), fast, or "
                 "docxtpl."),
    click.option("--rebuild", is_flag=True,
                 help="Render every document again, even those unchanged since the last build "
                 "here."),
    store_option,
]  # fmt: skip
_FIELDS = tuple(BuildSpec.__dataclass_fields__)


def build_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the build options to a command; it receives them as one ``spec: BuildSpec``."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        spec = BuildSpec(**{name: kwargs.pop(name) for name in _FIELDS})
        return func(*args, spec=spec, **kwargs)

    for option in reversed(_BUILD_OPTIONS):
        wrapper = option(wrapper)
    return wrapper

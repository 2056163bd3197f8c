"""``txplan icd10``: the ICD-10-CM release in use, and codes looked up in it."""

from __future__ import annotations

import click

from pipeline.cli.common import CONTEXT, Tally
from pipeline.clinical import icd10


@click.command(context_settings=CONTEXT)
@click.argument("codes", nargs=-1, metavar="[CODE...]")
@click.option("--release", "release_only", is_flag=True,
              help="Print only the release (what every plan's provenance records).")  # fmt: skip
def icd10_command(codes: tuple[str, ...], release_only: bool) -> int:
    """Print the ICD-10-CM release codes are checked against, and look codes up in it.

    The release is the one simple-icd-10-cm bundles, or the CMS file that
    `txplan --icd10cm FILE` or $TXPLAN_ICD10CM names (the order file, the codes file or
    CMS's "Code Descriptions in Tabular Order" zip). Each CODE prints its description and
    whether it is billable; exit 1 if one is not a code of the release.

    Example: TXPLAN_ICD10CM=icd10cm_order_2027.txt txplan icd10 F43.81 F32
    """
    click.echo(icd10.release())
    tally = Tally()
    if release_only:
        return tally.code()
    for raw in codes:
        info = icd10.lookup(raw)
        if info is None:
            tally.rejected += 1
            click.echo(
                f"{icd10.normalize_code(raw) or raw!r}: not an ICD-10-CM code in this release"
            )
            continue
        kind = "billable" if info.billable else "not billable: a category, use a code below it"
        click.echo(f"{info.code}: {info.description or '(no description)'} ({kind})")
    return tally.code()


icd10_command.name = "icd10"
COMMANDS = [icd10_command]

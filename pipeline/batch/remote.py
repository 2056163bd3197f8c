"""What runs on a Dask worker: the installed jobs and their files, the warm LibreOffice, tasks.

:class:`JobPlugin` carries one pickled job and the files it reads (payer and agency folders,
the client-copy template) as bytes; on each worker it writes the files once into a folder
keyed by their hash and unpickles the job, whose paths point there, so a worker never reads the
client's disk or its own ``templates/``. :class:`LibreOfficePlugin` keeps one converter per
worker (profile made and LibreOffice warmed up when the worker starts, stopped when it
leaves). :func:`run_chunk` runs a chunk of plans and converts their PDFs on the worker, with
the same rows the client's converter would give, so only documents travel back.
"""

from __future__ import annotations

import io
import pickle
import shutil
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from pipeline.batch.job import WORK_DIR, Made, PlanDone, failed
from pipeline.batch.manifest import Row, sha256

#: Jobs installed on this worker process, by key (filled by :class:`JobPlugin`).
_JOBS: dict[str, Any] = {}
#: Folders holding shipped files on this worker, by the files' hash.
_FILES: dict[str, Path] = {}
#: This worker's LibreOffice (filled by :class:`LibreOfficePlugin`).
_CONVERTER: list[Any] = []


def shipped(files_key: str, name: str) -> Path:
    """On a worker, unpickling: where a shipped file is (see :func:`materialize`)."""
    return _FILES[files_key] / name


def materialize(files_key: str, files: dict[str, bytes], under: str | None) -> Path:
    """Write shipped files once per worker into a private folder named by their hash."""
    if files_key not in _FILES:
        root = Path(tempfile.mkdtemp(prefix=f"txplan-files-{files_key[:12]}-", dir=under))
        for name, data in files.items():
            path = root / name
            if not path.resolve().is_relative_to(root.resolve()):
                raise ValueError(f"shipped file outside its folder: {name!r}")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _FILES[files_key] = root
    return _FILES[files_key]


class FilesPlugin(WorkerPlugin):
    """The files jobs read, as bytes, written once per worker into a folder named by their
    hash (idempotent: a standing cluster gets the same files once, whatever the builds)."""

    idempotent = True

    def __init__(self, files_key: str, files: dict[str, bytes]) -> None:
        self.name = f"txplan-files-{files_key[:20]}"
        self.files_key = files_key
        self.files = files

    def setup(self, worker: Any) -> None:
        materialize(self.files_key, self.files, getattr(worker, "local_directory", None))

    def teardown(self, worker: Any) -> None:
        if self.files_key in _FILES:
            shutil.rmtree(_FILES.pop(self.files_key), ignore_errors=True)


class JobPlugin(WorkerPlugin):
    """A Dask worker plugin carrying one pickled job, unpickled once a worker (its paths point
    into the folder :class:`FilesPlugin` wrote, so that one is registered first)."""

    def __init__(self, key: str, blob: bytes) -> None:
        self.name = key  # Dask replaces a plugin of the same name: one per job hash
        self.key = key
        self.blob = blob

    def setup(self, worker: Any) -> None:
        if self.key not in _JOBS:
            _JOBS[self.key] = pickle.loads(self.blob)  # noqa: S301 - our own job, from the client

    def teardown(self, worker: Any) -> None:
        _JOBS.pop(self.key, None)


def _warm_up_docx() -> bytes:
    """The smallest DOCX LibreOffice converts: what a worker's LibreOffice warms up on."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document'
        '.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
        '" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http:'
        '//schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>warm'
        "</w:t></w:r></w:p></w:body></w:document>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


class LibreOfficePlugin(WorkerPlugin):
    """One LibreOffice converter a worker: its profile made and warmed up on setup (the first
    start of a profile costs two starts), kept for the worker's life, stopped on teardown."""

    def __init__(self, stall: float | None) -> None:
        self.stall = stall
        self.name = f"txplan-libreoffice-{stall}"

    idempotent = True  # a standing cluster keeps its warm LibreOffice from build to build

    def setup(self, worker: Any) -> None:
        from pipeline.writers.libreoffice import PdfConverter

        self.teardown(worker)
        converter = PdfConverter(timeout=self.stall).__enter__()
        converter.convert({"warm-up": _warm_up_docx()})  # a failure shows on the first plan
        _CONVERTER.append(converter)

    def teardown(self, worker: Any) -> None:
        while _CONVERTER:
            _CONVERTER.pop().__exit__(None, None, None)


def converter() -> Any:
    """This worker's LibreOffice (started here if no plugin did)."""
    if not _CONVERTER:
        LibreOfficePlugin(None).setup(None)
    return _CONVERTER[-1]


def run_chunk(key: str, tasks: list[Any]) -> list[PlanDone]:
    """On a worker: run a chunk of tasks with the job installed under ``key``, then convert
    their PDFs here; the answers carry the documents as bytes."""
    job = _JOBS[key]
    dones = [job.run(task) for task in tasks]
    if "pdf" in job.options.formats and any(m.pdf_from for d in dones for m in d.made):
        dones = convert_pdfs(dones, converter())
    return dones


def convert_pdfs(dones: list[PlanDone], pdf_converter: Any) -> list[PlanDone]:
    """Convert every DOCX the answers queue for PDF; the rows as the client's converter would
    make them (the PDF among the outputs, or BLD002), the DOCX kept only if asked for."""
    from pipeline.writers.libreoffice import ConversionError, checked

    docs: dict[str, bytes] = {}
    for i, done in enumerate(dones):
        files = dict(done.files)
        for j, made in enumerate(done.made):
            if made.pdf_from:
                docs[f"{i}/{j}"] = files[made.pdf_from]
    pdfs = pdf_converter.convert(docs)
    answers = []
    for i, done in enumerate(dones):
        made_list, extra = [], []
        for j, made in enumerate(done.made):
            if not made.pdf_from:
                made_list.append(made)
                continue
            stem, row = Path(made.pdf_from).stem, made.row
            pdf = checked(pdfs[f"{i}/{j}"])
            if isinstance(pdf, ConversionError):
                message = f"{stem}.docx -> PDF: {pdf.message}"
                row = failed(Row.from_json(row), "BLD002", message).as_json()
            else:
                extra.append((f"{stem}.pdf", pdf))
                outputs = [*row["outputs"], {"path": f"{stem}.pdf", "sha256": sha256(pdf)}]
                row = {**row, "outputs": outputs}
            made_list.append(Made(made.slot, row, None))
        files = tuple(f for f in done.files if not f[0].startswith(f"{WORK_DIR}/")) + tuple(extra)
        answers.append(replace(done, made=tuple(made_list), files=files))
    return answers

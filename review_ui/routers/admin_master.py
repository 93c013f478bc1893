"""Admin: upload master data (the CSV folder as files or a zip) with a per-row error report."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from review_ui.audit import record
from review_ui.deps import ContextDep, CurrentUser, guarded
from review_ui.roles import ADMINS
from review_ui.templating import render
from review_ui.views import master_upload

log = logging.getLogger(__name__)
router = APIRouter(prefix="/admin/master", tags=["master data"], dependencies=guarded(ADMINS), include_in_schema=False)


@router.get("")
def master_page(request: Request):
    return render(request, "admin/master.html", {"known": master_upload.KNOWN_FILES, "result": None})


@router.post("")
async def upload_master(request: Request, context: ContextDep, user: CurrentUser):
    form = await request.form()
    uploads = [(f.filename or "", await f.read()) for f in form.getlist("files") if isinstance(f, UploadFile)]
    return await _import(request, context, user, uploads)


async def _import(request, context, user, uploads):
    from starlette.concurrency import run_in_threadpool

    result: dict = {"files": [], "counts": None, "problems": [], "error": None}
    with tempfile.TemporaryDirectory(prefix="oms-master-") as tmp:
        try:
            result["files"] = master_upload.unpack(uploads, Path(tmp))
        except master_upload.UploadRejected as exc:
            result["error"] = str(exc)
            return render(request, "admin/master.html", {"known": master_upload.KNOWN_FILES, "result": result}, 400)
        try:
            counts = await run_in_threadpool(_run_import, context, tmp)
        except _Invalid as exc:
            result["problems"] = master_upload.problems(exc.problems)
            return render(request, "admin/master.html", {"known": master_upload.KNOWN_FILES, "result": result}, 422)
    result["counts"] = counts
    record(request, actor=user.username, action="master.import", target=",".join(result["files"]), detail={"counts": counts})
    return render(request, "admin/master.html", {"known": master_upload.KNOWN_FILES, "result": result})


class _Invalid(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


def _run_import(context, folder: str) -> dict:
    from oms_core.domain.errors import MasterDataInvalid
    from oms_core.service_layer.master_import import import_master

    try:
        return dict(import_master(folder, context.uow_factory(), progress=False))
    except MasterDataInvalid as exc:
        raise _Invalid(list(exc.problems)) from None

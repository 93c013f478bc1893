"""Run the whole pipeline over a corpus in a fresh database and collect results for scoring."""
from __future__ import annotations

import json
import logging
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

from oms.evaluation.scoring import build_report

log = logging.getLogger(__name__)


class CorpusError(Exception):
    """The folder is not an evaluation corpus (master/, mail/, truth/)."""


def load_truths(corpus: Path) -> list[dict]:
    """Truth records of a corpus, in file-name order; each gets `file` when it lacks one."""
    truth_dir, mail_dir = corpus / "truth", corpus / "mail"
    if not truth_dir.is_dir() or not mail_dir.is_dir() or not (corpus / "master").is_dir():
        raise CorpusError(f"{corpus} is not a corpus: it needs master/, mail/ and truth/")
    truths = []
    for path in sorted(truth_dir.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        truth.setdefault("file", f"{path.stem}.eml")
        truths.append(truth)
    return truths


def run_pipeline(corpus: Path, workdir: Path, progress: bool = True) -> tuple[dict[str, dict], dict[str, float]]:
    """Import corpus/master into a new SQLite database under workdir and process corpus/mail in name order."""
    from oms.bootstrap import bootstrap
    from oms.db import make_engine, make_session_factory, upgrade
    from oms.pipeline import process_paths
    from oms.settings import get_settings
    from oms_core.service_layer.master_import import import_master
    from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork

    url = f"sqlite:///{workdir / 'eval.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        import_master(corpus / "master", SqlAlchemyUnitOfWork(make_session_factory(engine)), actor="eval", progress=False)
    finally:
        engine.dispose()
    settings = get_settings(database_url=url, data_dir=workdir / "data")
    paths = sorted((corpus / "mail").glob("*.eml"))
    results: dict[str, dict] = {}
    times: dict[str, float] = {}
    app = bootstrap(settings)
    try:
        bar = tqdm(total=len(paths), desc="eval", unit="msg", disable=not progress)
        iterator = iter(process_paths(app, paths))
        started = time.perf_counter()
        for path in paths:
            try:
                result = next(iterator)
            except StopIteration:
                break
            now = time.perf_counter()
            name = Path(result.get("file") or path).name
            results[name] = result
            times[name] = (now - started) * 1000
            started = now
            bar.update(1)
        bar.close()
    finally:
        app.close()
    return results, times


def evaluate(corpus: Path, progress: bool = True, workdir: Path | None = None) -> dict:
    """Evaluate the pipeline on a corpus folder; returns the report dict."""
    corpus = Path(corpus)
    truths = load_truths(corpus)
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="oms-eval-") as tmp:
            results, times = run_pipeline(corpus, Path(tmp), progress)
    else:
        results, times = run_pipeline(corpus, Path(workdir), progress)
    return build_report(truths, results, times, corpus=str(corpus))

"""`oms process` end to end on committed corpus messages: store, parse, read, match, decide, book."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from agents.review import resume_review
from oms.bootstrap import bootstrap
from oms.pipeline import process_file, process_paths
from oms.settings import get_settings

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "corpus"
KEYS = {"message_id", "file", "kind", "decision", "review_reasons", "order", "order_id", "error", "timings_ms"}
ORDER_KEYS = {"customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency", "lines",
              "order_total"}
LINE_KEYS = {"line_no", "sku", "customer_sku", "description", "qty", "uom", "qty_base", "unit_price", "line_total"}


def truth(name: str) -> dict:
    return json.loads((CORPUS / "truth" / f"{name}.json").read_text())


def mail(name: str) -> Path:
    return CORPUS / "mail" / f"{name}.eml"


def find(**wanted) -> str:
    """The first corpus message whose truth has these values (the corpus is regenerated at times)."""
    for path in sorted((CORPUS / "truth").glob("*.json")):
        t = json.loads(path.read_text())
        if all(t.get(k) == v for k, v in wanted.items()):
            return path.stem
    pytest.fail(f"no corpus message with {wanted}")


def make_app(url: str, tmp_path: Path, migrate: bool | None = None):
    from oms_core.service_layer.master_import import import_master

    app = bootstrap(get_settings(database_url=url, data_dir=str(tmp_path / "data")), migrate=migrate)
    import_master(str(CORPUS / "master"), app.uow_factory(), progress=False)
    return app


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    if not (CORPUS / "mail").is_dir():
        pytest.fail(f"committed corpus missing at {CORPUS}")
    tmp = tmp_path_factory.mktemp("e2e")
    app = make_app(f"sqlite:///{tmp / 'oms.sqlite3'}", tmp)
    yield app
    app.close()


def same_order(got: dict, want: dict) -> list[str]:
    """Differences between a process-json order and a truth file (decimals compared as numbers)."""
    def norm(key, value):
        return Decimal(value) if value is not None and key in ("qty", "qty_base", "unit_price", "line_total", "order_total") else value

    diffs = [k for k in ORDER_KEYS - {"lines"} if norm(k, got.get(k)) != norm(k, want.get(k))]
    if len(got["lines"]) != len(want["lines"]):
        return diffs + ["line count"]
    for a, b in zip(got["lines"], want["lines"]):
        diffs += [f"line {b['line_no']} {k}" for k in LINE_KEYS - {"description"} if norm(k, a.get(k)) != norm(k, b.get(k))]
    return diffs


def test_a_clean_edifact_order_is_booked_touchless_exactly_as_the_truth(app):
    name = find(format="edifact", category="clean")
    result = process_file(app, mail(name))
    assert set(result) == KEYS and set(result["order"]) == ORDER_KEYS
    assert all(set(line) == LINE_KEYS for line in result["order"]["lines"])
    assert result["kind"] == "order" and result["decision"] == "auto", result["review_reasons"]
    assert same_order(result["order"], truth(name)) == []
    assert result["order_id"] and result["error"] is None
    assert {"classify", "extract", "match", "validate", "decide", "commit", "total"} <= set(result["timings_ms"])


def test_processing_the_same_file_twice_yields_one_order(app):
    name = find(format="ubl", category="clean")
    first = process_file(app, mail(name))
    second = process_file(app, mail(name))
    assert first["order_id"] and first["order_id"] == second["order_id"]
    assert first["decision"] == second["decision"] and first["order"] == second["order"]
    with app.uow_factory() as uow:
        assert len(uow.orders.find_by_po(first["order"]["customer_id"], first["order"]["po_number"])) == 1


def test_a_newsletter_is_not_an_order_and_books_nothing(app):
    name = find(category="non_order:newsletter")
    result = process_file(app, mail(name))
    assert result["kind"] == "not_order"
    assert result["order"] is None and result["order_id"] is None


def test_a_scanned_pdf_order_goes_to_review_as_unreadable_with_the_raw_message_kept(app):
    name = find(layout="scanned")
    result = process_file(app, mail(name))
    assert result["decision"] in ("review", "failed")
    assert "unreadable" in result["review_reasons"]
    key = app.store.save_raw(mail(name).read_bytes(), "test")[0]
    assert app.store.load_raw(key) == mail(name).read_bytes()


def test_process_paths_takes_folders_in_file_name_order(app, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("b-second", "a-first"):
        (folder / f"{name}.eml").write_bytes(mail(find(format="xlsx", category="clean")).read_bytes())
    (folder / "notes.txt").write_text("not a message")
    results = list(process_paths(app, [folder]))
    assert [Path(r["file"]).name for r in results] == ["a-first.eml", "b-second.eml"]
    assert results[0]["order_id"] == results[1]["order_id"]  # the same message under two names: one order


def test_oms_process_cli_prints_one_json_line_per_message(app, tmp_path, capsys, monkeypatch):
    from oms.cli import main

    monkeypatch.setenv("OMS_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("OMS_DATA_DIR", str(app.settings.data_dir))
    names = [find(format="x12", category="clean"), find(category="non_order:spam")]
    main(["process", *(str(mail(n)) for n in names), "--json"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert [Path(x["file"]).stem for x in lines] == names
    assert all(set(x) == KEYS for x in lines)


@pytest.mark.postgres
def test_on_postgresql_a_price_mismatch_waits_for_review_and_approval_books_it(postgres_url, tmp_path):
    app = make_app(postgres_url, tmp_path, migrate=True)
    try:
        name = find(format="edifact", category="price_mismatch")
        result = process_file(app, mail(name))
        assert result["decision"] == "review" and "price_mismatch" in result["review_reasons"]
        with app.uow_factory() as uow:
            assert uow.orders.get(result["order_id"]).status == "needs_review"
        outcome = resume_review(app, app.store.save_raw(mail(name).read_bytes(), "t")[0],
                                {"action": "approve", "reviewer": "anna", "reason": "price agreed by phone"})
        assert outcome["outcome"] == "confirmed"
        with app.uow_factory() as uow:
            assert uow.orders.get(result["order_id"]).status in ("allocated", "backordered", "confirmed")
    finally:
        app.close()

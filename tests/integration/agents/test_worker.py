"""`oms worker`: processes what the intake store holds, once, and leaves nothing pending."""
from __future__ import annotations

from pathlib import Path

from oms.bootstrap import bootstrap
from oms.commands.worker import work_once
from oms.settings import get_settings

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "corpus"


def test_worker_processes_stored_messages_and_marks_them(tmp_path):
    app = bootstrap(get_settings(database_url=f"sqlite:///{tmp_path / 'oms.sqlite3'}", data_dir=str(tmp_path / "data")))
    try:
        import json

        newsletter = next(p.stem for p in sorted((CORPUS / "truth").glob("*.json"))
                          if json.loads(p.read_text())["category"] == "non_order:newsletter")
        good, _ = app.store.save_raw((CORPUS / "mail" / f"{newsletter}.eml").read_bytes(), "drop:newsletter.eml")
        broken, _ = app.store.save_raw(b"\x00\x01 this is not a mail \xff", "drop:junk.eml")
        assert set(app.store.pending()) == {good, broken}
        done = work_once(app)
        assert done == 2 and app.store.pending() == []
        assert app.store.get(good).status == "processed"
        assert app.store.get(broken).status in ("processed", "failed")
        with app.uow_factory() as uow:
            assert uow.messages.get(good).decision == "not_order"
            assert uow.messages.get(broken) is not None  # every decision recorded, even for junk
        assert work_once(app) == 0  # nothing left: a second pass does nothing
    finally:
        app.close()

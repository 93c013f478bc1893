"""`oms worker` pushes each booked order to the ERP before it reads the next message of a burst."""
from __future__ import annotations

from tests.integration.prod.pipeline_setup import SEED, prepare_database, rows


def test_a_booked_order_reaches_the_erp_before_the_next_message_is_processed(tmp_path):
    from oms.bench_corpus import clean_pdf_orders, write_master_folder
    from oms.bootstrap import bootstrap
    from oms.commands.worker import build_outbox, work_once
    from oms.settings import get_settings

    master, emls = clean_pdf_orders(2, seed=SEED)
    url = f"sqlite:///{tmp_path / 'oms.sqlite3'}"
    engine, keys = prepare_database(url, write_master_folder(master, tmp_path / "master"), emls, tmp_path / "data")
    app = bootstrap(get_settings(database_url=url, data_dir=tmp_path / "data", erp="file",
                                 erp_url=str(tmp_path / "erp"), llm_base_url=None, llm_api_key=None))
    try:
        work_once(app, build_outbox(app))
    finally:
        app.close()
    first, second = (rows(engine, "SELECT order_id, created_at FROM processed_messages WHERE message_key = :k", k=k)[0]
                     for k in keys)
    assert first[0] and second[0], "both clean orders are booked"
    pushed = rows(engine, "SELECT sent_at FROM outbox WHERE order_id = :o AND kind = 'erp_push' AND status = 'sent'", o=first[0])
    assert pushed, "the first order was pushed to the ERP"
    # The second message's decision row is written while it is processed: after the first push.
    assert str(pushed[0][0]) < str(second[1])
    engine.dispose()

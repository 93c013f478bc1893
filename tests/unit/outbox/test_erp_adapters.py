import json
import threading

import pytest

from oms_core.adapters.erp import adapter_class, available, build_adapter
from oms_core.adapters.erp.base import ErpRejected, erp_reference
from oms_core.adapters.erp.file import FileErpAdapter
from oms_core.adapters.erp.none import NoErpAdapter
from oms_core.adapters.erp.webhook import sign, verify
from oms.settings import get_settings


def test_all_four_adapters_load_by_name_without_installation():
    assert {"none", "file", "webhook", "tryton"} <= set(available())
    assert adapter_class("none") is NoErpAdapter
    assert adapter_class("file") is FileErpAdapter


def test_an_unknown_adapter_name_is_a_clear_error():
    with pytest.raises(LookupError, match="unknown ERP adapter 'sap'"):
        adapter_class("sap")


def test_settings_choose_the_adapter(tmp_path):
    adapter = build_adapter(get_settings(erp="file", erp_url=str(tmp_path)))
    assert isinstance(adapter, FileErpAdapter) and adapter.folder == tmp_path


def test_file_export_writes_one_complete_json_file_per_order(tmp_path):
    adapter = FileErpAdapter(folder=tmp_path / "erp")
    ref = erp_reference("SO-42")
    assert adapter.find_order(ref) is None
    assert adapter.push_order({"po_number": "PO-1", "order_total": "10.00"}, ref) == "SO-42.json"
    assert json.loads((tmp_path / "erp" / "SO-42.json").read_text())["po_number"] == "PO-1"
    assert adapter.find_order(ref) == "SO-42.json"
    assert [p.name for p in (tmp_path / "erp").iterdir()] == ["SO-42.json"]  # no temp files


def test_file_export_never_overwrites_an_order_already_pushed(tmp_path):
    adapter = FileErpAdapter(folder=tmp_path)
    adapter.push_order({"version": 1}, "OMS-1")
    adapter.push_order({"version": 2}, "OMS-1")
    assert json.loads((tmp_path / "OMS-1.json").read_text()) == {"version": 1}


def test_racing_file_exports_leave_exactly_one_file(tmp_path):
    adapter = FileErpAdapter(folder=tmp_path)
    threads = [threading.Thread(target=adapter.push_order, args=({"n": n}, "OMS-9"))
               for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.name for p in tmp_path.iterdir()] == ["OMS-9.json"]
    assert "n" in json.loads((tmp_path / "OMS-9.json").read_text())


def test_file_adapter_needs_a_folder():
    with pytest.raises(ErpRejected):
        FileErpAdapter(get_settings(erp="file", erp_url=None))


def test_webhook_signature_verifies_only_the_exact_body():
    header = sign("s3cret", b'{"a": 1}')
    assert header.startswith("sha256=")
    assert verify("s3cret", b'{"a": 1}', header)
    assert not verify("s3cret", b'{"a": 2}', header)
    assert not verify("other", b'{"a": 1}', header)

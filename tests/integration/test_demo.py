"""`oms demo` (the README's first command, minus serving): the embedded default end to end."""
from __future__ import annotations

import json

from oms.cli import main


def test_demo_imports_master_data_processes_mail_and_exports_booked_orders(tmp_path, capsys):
    assert main(["demo", "--dir", str(tmp_path / "demo"), "--messages", "12", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "demo master data: products=" in out
    assert "demo mail processed:" in out and "order/auto=" in out
    exports = sorted((tmp_path / "demo" / "erp").glob("*.json"))
    assert exports, "auto-accepted orders must reach the file ERP"
    order = json.loads(exports[0].read_text())
    assert order["lines"], order
    confirmations = list((tmp_path / "demo" / "mail-out").glob("*.eml"))
    assert confirmations, "confirmations of auto-accepted orders go to the pickup folder"
    assert b"In-Reply-To:" in confirmations[0].read_bytes()


def test_demo_is_idempotent_when_run_again(tmp_path, capsys):
    folder = str(tmp_path / "demo")
    main(["demo", "--dir", folder, "--messages", "6", "--no-serve"])
    first = sorted(p.name for p in (tmp_path / "demo" / "erp").glob("*.json"))
    main(["demo", "--dir", folder, "--messages", "6", "--no-serve"])
    assert sorted(p.name for p in (tmp_path / "demo" / "erp").glob("*.json")) == first

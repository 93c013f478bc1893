import re

from oms.cli import main


def test_bench_intake_ends_with_the_comparison_line(capsys):
    assert main(["bench", "intake", "--messages", "2", "--pages", "1", "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("messages=2 ")
    match = re.fullmatch(r"ms_per_page=([\d.]+) pdfplumber_ms_per_page=([\d.]+) ratio=([\d.]+)", lines[-1])
    assert match, lines[-1]
    ours, theirs, ratio = map(float, match.groups())
    assert ours > 0 and theirs > 0
    assert abs(ratio - ours / theirs) < 0.02  # the figure itself is the benchmark's job, not a test's


def test_bench_intake_reads_a_folder_of_messages_and_pdfs(tmp_path, capsys):
    from oms.commands.bench_intake import generate_messages

    (tmp_path / "a.eml").write_bytes(generate_messages(1, 1)[0])
    assert main(["bench", "intake", "--folder", str(tmp_path), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "messages=1 " in out and "pdf_files=1 pdf_pages=1 " in out

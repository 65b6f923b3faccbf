"""``pharmacy-pos-cli upload``: the demo store's records go to the loopback simulator over
HTTP; status says what waits, what was refused, and the last success (SEC-7)."""

from __future__ import annotations

from pharmacy_pos.cli import EXIT_OK
from tests.insurer_sim import running_simulator
from tests.integration.test_cli import data_dir, load_demo_copy, run  # noqa: F401  (fixture)


def test_upload_run_sends_the_demo_store_to_the_simulator(
        data_dir, capsys, cli_demo_template, monkeypatch, tmp_path):  # noqa: F811
    load_demo_copy(cli_demo_template, data_dir)
    with running_simulator(tmp_path / "insurer") as sim:
        monkeypatch.setenv("PHARMACY_POS_INSURER_URL", sim.url)
        code, out, _ = run(capsys, "upload", "status")
        assert code == EXIT_OK and "待上传 0 条" in out and "待整理" in out
        code, out, _ = run(capsys, "upload", "run")
        assert code == EXIT_OK, out
        sent = int(out.split("已上传 ")[1].split(" 条")[0])
        assert sent > 100
        assert sum(sim.state()["uploads"].values()) == sent
        code, out, _ = run(capsys, "upload", "list", "--state", "done", "--limit", "2")
        assert out.count("已上传") == 2
        # A second run finds nothing left; the book is unchanged.
        assert "已上传 0 条" in run(capsys, "upload", "run")[1]
        assert sum(sim.state()["uploads"].values()) == sent
        code, out, _ = run(capsys, "upload", "status")
        assert code == EXIT_OK and "待上传 0 条" in out and "上传终端：T01" in out
    # The simulator is gone: a pass with nothing to send still needs no insurer; a
    # refused status would exit 1, a failed run 3.
    code, out, _ = run(capsys, "upload", "run")
    assert code == EXIT_OK and "仍待上传 0 条" in out

"""The same flow on a Dask cluster: a real distributed.LocalCluster started by the test."""
from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from flows.cli import app


def test_dask_screen_on_local_cluster(tmp_path, files):
    from distributed import LocalCluster

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for key in ("docx", "gbk"):
        shutil.copy(files[key], inbox)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = CliRunner().invoke(app, ["screen", str(inbox), "--out", str(out), "--no-pdf",
                                          "--dask", cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    batch = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert batch["counts"] == {**batch["counts"], "files": 2, "errors": 0}
    assert len(list((out / "briefings").glob("*.html"))) == 2

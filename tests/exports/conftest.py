"""A store made the way a user makes one: a sample of the ANT corpus ingested with the full pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

N_PER_FOLDER = 14  # 10 outlet/category folders -> 140 articles, the same news days across outlets (copies)


@pytest.fixture(scope="session")
def ant_store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from marsad.readers import read_paths
    from marsad.stages import default_pipeline
    from marsad.store import Store

    base = shared / "data/ant-multisource"
    if not base.is_dir():
        pytest.skip("ant-multisource not found under the shared data")
    files: list[str] = []
    for d in sorted(p for p in base.glob("*/*") if p.is_dir()):
        # same days in every folder: the first days of the window, so outlets tell the same stories
        files += [str(f) for f in sorted(d.glob("*.txt"), key=lambda f: (f.stem[-8:], f.stem))[:N_PER_FOLDER]]
    db = tmp_path_factory.mktemp("ant") / "ant.db"
    with Store(db) as st:
        st.ingest(read_paths(files), pipeline=default_pipeline())
    return db

"""A package refused while being written (not in the preview) still says why, in Thai."""

from lev_desktop.cli import main
from lev_desktop.services import demo


def test_refusal_at_commit_prints_the_thai_reason(tmp_path, capsys, lao_store, demo_store):
    demo.fill(lao_store)  # the LAO's own plan, a different record from the district's demo copy
    package = tmp_path / "p.levpkg"
    assert (
        main(["--db", str(lao_store.path), "export", "--to", "D4801", "--out", str(package)]) == 0
    )
    capsys.readouterr()

    def plans() -> int:
        with demo_store.engine.connect() as connection:
            return connection.exec_driver_sql("SELECT COUNT(*) FROM plans").scalar()

    before = plans()
    code = main(["--db", str(demo_store.path), "import", str(package), "--trust"])
    err = capsys.readouterr().err
    assert code == 2
    assert "ปฏิเสธ" in err and "p.levpkg" in err
    assert plans() == before

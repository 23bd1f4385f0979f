"""The workspace owns a build's scratch space: every stage's folder is inside the half-built release."""

from builder.run.workspace import PARTIAL, Workspace


def test_every_scratch_folder_is_inside_the_half_built_release(releases):
    workspace = Workspace(releases)
    workspace.create()
    for folder in (workspace.merge_scratch, workspace.bodies, workspace.known_rows):
        assert folder == workspace.release or workspace.release in folder.parents
    assert workspace.release == releases / PARTIAL and workspace.release.is_dir()


def test_create_starts_afresh_and_discard_leaves_nothing(releases):
    workspace = Workspace(releases)
    workspace.create()
    (workspace.release / "left-by-a-killed-build").write_text("x")
    workspace.create()
    assert list(workspace.release.iterdir()) == []
    workspace.known_rows.mkdir()
    (workspace.release / "data.parquet").write_text("x")
    workspace.drop_scratch()
    assert [path.name for path in workspace.release.iterdir()] == ["data.parquet"]  # what the release keeps stays
    workspace.discard()
    assert list(releases.iterdir()) == []

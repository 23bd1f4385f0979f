"""Facts about the repository that CI and a fresh machine depend on."""

from conftest import REPO


def test_ci_runs_the_readme_test_command():
    readme_commands = (REPO / "README.md").read_text().split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(readme_commands) == 2
    ci_lines = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert readme_commands[1] in ci_lines


def test_raw_holds_the_seed_capture_unchanged():
    shared_seed = REPO.parent / "shared" / "seed" / "000_bc1de7ad9c5001b1.txt"
    if shared_seed.is_file():
        assert (REPO / "raw" / shared_seed.name).read_bytes() == shared_seed.read_bytes()
    assert (REPO / "raw" / "000_bc1de7ad9c5001b1.json").is_file()


def test_every_command_is_documented_with_an_example():
    from builder.cli import app

    readme = (REPO / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"| `{name} " in readme and f"`dprk-corpus {name} " in readme
        assert "Example: dprk-corpus " + name in command.callback.__doc__

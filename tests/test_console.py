import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = str(Path(sys.executable).parent / "dprk-corpus")


def test_the_command_runs_the_cli():
    done = subprocess.run([SCRIPT, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Build, check and cite" in done.stdout


def test_ctrl_c_while_the_libraries_load_exits_quietly(tmp_path):
    process = subprocess.Popen(
        [SCRIPT, "build", "--releases", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,  # not the repository, whose CITATION.cff a finished build would rewrite
    )
    time.sleep(0.4)  # the interpreter is up; the libraries take about a second to import
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in stderr
    assert "nothing was written" in stderr or "no release written" in stderr
    assert list(tmp_path.iterdir()) == []

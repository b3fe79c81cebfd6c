"""`python -m signet_cli ...` runs the installed `signet` binary with the same arguments."""
import os
import sys

from signet_cli import find_signet_bin


def _run() -> None:
    signet = find_signet_bin()
    if sys.platform == "win32":
        import subprocess

        sys.exit(subprocess.run([signet, *sys.argv[1:]]).returncode)
    os.execvp(signet, [signet, *sys.argv[1:]])


if __name__ == "__main__":
    _run()

"""The `signet` binary installed by this package: `find_signet_bin()` gives its path."""
import os
import sys
import sysconfig


def find_signet_bin() -> str:
    """The path of the `signet` executable installed with this package."""
    exe = "signet" + sysconfig.get_config_var("EXE")
    candidates = [
        sysconfig.get_path("scripts"),
        sysconfig.get_path("scripts", vars={"base": sys.base_prefix}),
    ]
    user = sysconfig.get_path("scripts", scheme=f"{os.name}_user") if os.name != "nt" else None
    if user:
        candidates.append(user)
    # A `pip install --target` layout keeps the scripts beside the package.
    candidates.append(os.path.join(os.path.dirname(os.path.dirname(__file__)), "bin"))
    for d in candidates:
        path = os.path.join(d, exe)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(f"the signet binary was not found in {candidates}")


__all__ = ["find_signet_bin"]

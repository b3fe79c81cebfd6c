# Sourced by the scripts that run real Python libraries: makes sure the venv VENV (default
# .venv-interop) exists and holds exactly the pins of VENV_REQS (default
# scripts/requirements-interop.txt), reinstalled when that file changes, then sets VENV and PY.
# Needs python3 (3.10+) with venv and PyPI; PYTHON overrides the interpreter.
VENV=${VENV:-.venv-interop}
PY="$PWD/$VENV/bin/python"
_REQS=${VENV_REQS:-scripts/requirements-interop.txt}
_STAMP="$VENV/.requirements.sha256"
_want=$(sha256sum "$_REQS" | cut -d' ' -f1)
if [ ! -x "$PY" ]; then
    echo "==> creating $VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
    echo '*' > "$VENV/.gitignore"
fi
if [ "$(cat "$_STAMP" 2>/dev/null)" != "$_want" ]; then
    echo "==> installing $_REQS into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$_REQS"
    echo "$_want" > "$_STAMP"
fi

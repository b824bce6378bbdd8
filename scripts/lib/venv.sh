# Sourced by the scripts: make sure .venv exists and holds the pinned requirements.
# Usage: source scripts/lib/venv.sh requirements.txt|requirements-dev.txt
requirements="${1:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv" >&2
    python3 -m venv .venv
fi
stamp=".venv/.installed-$(basename "$requirements")"
digest="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    echo "Installing $requirements" >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2
    echo "$digest" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"

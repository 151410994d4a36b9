"""The make targets a newcomer reads about are the ones that exist."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_help_lists_every_target():
    makefile = (ROOT / "Makefile").read_text()
    phony = set(re.search(r"^\.PHONY: (.+)$", makefile, re.M).group(1).split())
    defined = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    assert phony == defined, defined ^ phony
    shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    listed = set(re.findall(r"^make ([a-z-]+)", shown, re.M))
    assert listed == defined - {"help"}, (defined - {"help"}) ^ listed

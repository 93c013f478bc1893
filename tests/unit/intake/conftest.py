"""Find the shared corpus also from a git worktree (…/wt/<name>/), where ../shared is one level up."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, missing


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if CORPUS.is_dir():
        return CORPUS
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    missing(f"shared corpus not found at {CORPUS}")

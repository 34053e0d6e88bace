"""The letter markup: what templates write, turned into reportlab flowables.

    # Heading                 a heading
    (blank line)              ends a paragraph
    - item                    a bullet list item
    1. item                   a numbered list item
    **bold**  *italic*        inline emphasis

Values from the case never act as markup: the Jinja environment hides `*` in them (see
`protect`), and every piece of text is escaped for reportlab's XML before emphasis is added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

STAR = "\ue000"  # a private-use stand-in for '*' typed in case values
_BOLD_ITALIC = re.compile(r"\*\*\*(.+?)\*\*\*")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")


def protect(value: object) -> object:
    """Jinja `finalize`: a value's '*' is shown as typed, never read as emphasis."""
    return value.replace("*", STAR) if isinstance(value, str) else value


def inline(text: str) -> str:
    """Escape for reportlab, then turn **bold** and *italic* into tags."""
    escaped = escape(text.strip(), {'"': "&quot;"})
    marked = _BOLD_ITALIC.sub(r"<b><i>\1</i></b>", escaped)
    marked = _BOLD.sub(r"<b>\1</b>", marked)
    marked = _ITALIC.sub(r"<i>\1</i>", marked)
    if not _well_nested(marked):  # stars that cross ("*a **b* c**"): shown as typed, not a crash
        marked = escaped
    return marked.replace(STAR, "*")


def _well_nested(marked: str) -> bool:
    open_tags: list[str] = []
    for closing, tag in re.findall(r"<(/?)([bi])>", marked):
        if not closing:
            open_tags.append(tag)
        elif not open_tags or open_tags.pop() != tag:
            return False
    return not open_tags


def plain(text: str) -> str:
    """The text without markup (what a reader sees), for checks and previews."""
    return _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text)).replace(STAR, "*")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    heading: ParagraphStyle


@dataclass
class _Block:
    kind: str  # "p", "h", "ul", "ol"
    lines: list[str]


def blocks(markup: str) -> list[_Block]:
    """Split markup into paragraphs, headings and lists."""
    found: list[_Block] = []
    for raw in markup.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        kind, text = _classify(line)
        if kind == "blank":
            found.append(_Block("blank", []))
        elif kind in ("p", "ul", "ol") and found and found[-1].kind == kind:
            found[-1].lines.append(text)  # the paragraph or list goes on
        else:
            found.append(_Block(kind, [text]))
    return [b for b in found if b.kind != "blank"]


def _classify(line: str) -> tuple[str, str]:
    stripped = line.strip()
    if not stripped:
        return "blank", ""
    if stripped.startswith("# "):
        return "h", stripped[2:]
    if stripped.startswith(("- ", "• ")):
        return "ul", stripped[2:]
    numbered = re.match(r"^\d+[.)]\s+(.*)$", stripped)
    if numbered:
        return "ol", numbered.group(1)
    return "p", stripped


def flowables(markup: str, styles: Styles) -> list[Flowable]:
    """Reportlab flowables for the body of a letter."""
    out: list[Flowable] = []
    for block in blocks(markup):
        if block.kind == "h":
            out.append(Paragraph(inline(block.lines[0]), styles.heading))
        elif block.kind == "p":
            out.append(Paragraph(inline(" ".join(block.lines)), styles.body))
        else:
            items = [ListItem(Paragraph(inline(text), styles.body), leftIndent=14) for text in block.lines]
            numbered = block.kind == "ol"
            out.append(ListFlowable(items, bulletType="1" if numbered else "bullet",
                                    start="1" if numbered else None, bulletFormat="%s." if numbered else None,
                                    leftIndent=14,
                                    bulletFontName=styles.body.fontName, bulletFontSize=styles.body.fontSize))
        out.append(Spacer(1, 4))
    return out

"""The letter markup: what templates write, turned into reportlab flowables.

    # Heading                 a heading
    (blank line)              ends a paragraph
    - item                    a bullet list item
    1. item                   a numbered list item
    **bold**  *italic*        inline emphasis

Values from the case never act as markup: the Jinja environment hides `*` in them, turns a
line break typed in a value into a line break inside the paragraph or list item the value is
in (it never starts a new one), and hides a value's leading "# ", "- " or "1. " (see
`protect`); every piece of text is escaped for reportlab's XML before emphasis is added.

The window edits a letter as formatted text: `rich_blocks` turns markup into blocks of runs
(text with its bold and italic) exactly as the PDF prints them, and `markup_of` writes such
blocks back, so what the biller sees is what is printed (a '*' they type is a star, never
emphasis).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, unescape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, ListFlowable, ListItem, Paragraph, Spacer

STAR = "\ue000"  # a private-use stand-in for '*' typed in case values
BREAK = "\ue001"  # a line break typed in a value: a break inside its paragraph or item, never a new block
NOT_MARKUP = "\ue002"  # put before a value that starts like a heading or list item ("# ", "- ", "1. ")
SEPARATOR = "\ue003"  # between two emphasised runs written side by side ("**a**" then "*b*"); never printed
_NEWLINE = re.compile(r"\r\n?|\n")
_LOOKS_LIKE_MARKUP = re.compile(r"\s*(#|-|•|\d+[.)])\s")
_EDGES = re.compile(rf"^[\s{BREAK}{NOT_MARKUP}]+|[\s{BREAK}{NOT_MARKUP}]+$")
_BOLD_ITALIC = re.compile(r"\*\*\*(.+?)\*\*\*")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"\*(.+?)\*")


def protect(value: object) -> object:
    """Jinja `finalize`: a value prints as typed and never acts as markup: its '*' is never read
    as emphasis, its line breaks never end the paragraph or list item it is in (nor start a
    heading or an item), and a value that begins like a heading or item is not one."""
    if not isinstance(value, str):
        return value
    value = _NEWLINE.sub(BREAK, value.replace("*", STAR))
    return NOT_MARKUP + value if _LOOKS_LIKE_MARKUP.match(value) else value


def inline(text: str) -> str:
    """Escape for reportlab, then turn **bold** and *italic* into tags (and a value's line
    breaks into line breaks)."""
    escaped = escape(_EDGES.sub("", text).replace(NOT_MARKUP, ""), {'"': "&quot;"})
    marked = _BOLD_ITALIC.sub(r"<b><i>\1</i></b>", escaped)
    marked = _BOLD.sub(r"<b>\1</b>", marked)
    marked = _ITALIC.sub(r"<i>\1</i>", marked)
    if not _well_nested(marked):  # stars that cross ("*a **b* c**"): shown as typed, not a crash
        marked = escaped
    return marked.replace(STAR, "*").replace(BREAK, "<br/>").replace(SEPARATOR, "")


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
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))
    return text.replace(STAR, "*").replace(BREAK, "\n").replace(NOT_MARKUP, "").replace(SEPARATOR, "")


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


class _RoomForHeading(CondPageBreak):
    """Goes before a heading: a new page unless the heading (with the spacing after it, and any
    heading right after it) and the first lines of what follows fit, so a heading never ends a
    page. Unlike KeepTogether, a long paragraph after the heading need not move whole: it may
    split after its first lines."""

    def __init__(self, heading: list[Flowable], following: Flowable | None, lines: int, leading: float) -> None:
        super().__init__(0)
        self._heading, self._following, self._first_lines = heading, following, lines * leading

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height = sum(f.getSpaceBefore() + f.wrapOn(self.canv, availWidth, availHeight)[1] + f.getSpaceAfter()
                          for f in self._heading)
        if self._following is not None:
            height = self._following.wrapOn(self.canv, availWidth, availHeight)[1]
            self.height += self._following.getSpaceBefore() + min(height, self._first_lines)
        return super().wrap(availWidth, availHeight)


def _gap() -> Spacer:
    return Spacer(1, 4)  # after every block


def flowables(markup: str, styles: Styles) -> list[Flowable]:
    """Reportlab flowables for the body of a letter."""
    made: list[tuple[str, Flowable]] = []
    for block in blocks(markup):
        if block.kind == "h":
            made.append(("h", Paragraph(inline(block.lines[0]), styles.heading)))
        elif block.kind == "p":
            made.append(("p", Paragraph(inline(" ".join(block.lines)), styles.body)))
        else:
            items = [ListItem(Paragraph(inline(text), styles.body), leftIndent=14) for text in block.lines]
            numbered = block.kind == "ol"
            made.append((block.kind, ListFlowable(
                items, bulletType="1" if numbered else "bullet", start="1" if numbered else None,
                bulletFormat="%s." if numbered else None, leftIndent=14,
                bulletFontName=styles.body.fontName, bulletFontSize=styles.body.fontSize)))
    out: list[Flowable] = []
    for number, (kind, flowable) in enumerate(made):
        if kind == "h" and (number == 0 or made[number - 1][0] != "h"):  # the first of a run of headings
            run = [f for _, f in itertools.takewhile(lambda m: m[0] == "h", made[number:])]
            following = made[number + len(run)][1] if number + len(run) < len(made) else None
            heading = [part for f in run for part in (f, _gap())]
            out.append(_RoomForHeading(heading, following, lines=2, leading=styles.body.leading))
        out += [flowable, _gap()]
    return out


# -- formatted text for the editor ---------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A stretch of text with one emphasis, as a reader sees it ("*" is a star, "\n" a line break)."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class RichBlock:
    """A paragraph, heading ("h") or one list item ("ul", "ol"); items of one list share `group`."""

    kind: str
    runs: tuple[Run, ...]
    group: int = 0


_TAG = re.compile(r"<(/?)([bi])>|<br/>")


def rich_blocks(markup: str) -> list[RichBlock]:
    """The markup as formatted blocks, each run exactly as `inline` prints it in the PDF."""
    found: list[RichBlock] = []
    for number, block in enumerate(blocks(markup)):
        texts = block.lines if block.kind in ("ul", "ol") else [block.lines[0] if block.kind == "h"
                                                               else " ".join(block.lines)]
        found += [RichBlock(block.kind, runs_of(inline(text)), number) for text in texts]
    return found


def runs_of(marked: str) -> tuple[Run, ...]:
    """Runs from `inline`'s reportlab XML (<b>, <i>, <br/> and escaped text), neighbours merged."""
    runs: list[Run] = []
    depth = {"b": 0, "i": 0}
    position = 0
    for tag in _TAG.finditer(marked):
        runs.append(Run(unescape(marked[position:tag.start()], {"&quot;": '"'}), depth["b"] > 0, depth["i"] > 0))
        if tag.group(0) == "<br/>":
            runs.append(Run("\n", depth["b"] > 0, depth["i"] > 0))
        else:
            depth[tag.group(2)] += -1 if tag.group(1) else 1
        position = tag.end()
    runs.append(Run(unescape(marked[position:], {"&quot;": '"'}), depth["b"] > 0, depth["i"] > 0))
    return merged_runs(runs)


def merged_runs(runs: list[Run]) -> tuple[Run, ...]:
    """Runs with empty ones dropped and neighbours of the same emphasis joined."""
    merged: list[Run] = []
    for run in (r for r in runs if r.text):
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return tuple(merged)


def markup_of(rich: list[RichBlock]) -> str:
    """Letter markup for formatted blocks; `rich_blocks` reads it back as the same blocks."""
    lines: list[str] = []
    previous: RichBlock | None = None
    for block in rich:
        text = _marked(block.runs)
        if not text.strip():
            continue
        in_same_list = (previous is not None and block.kind in ("ul", "ol")
                        and (previous.kind, previous.group) == (block.kind, block.group))
        if lines and not in_same_list:
            lines.append("")  # a new paragraph, heading or list
        lines.append(_line(block.kind, text))
        previous = block
    return "\n".join(lines) + "\n" if lines else ""


def _line(kind: str, text: str) -> str:
    if kind == "h":
        return f"# {text}"
    if kind == "ul":
        return f"- {text}"
    if kind == "ol":
        return f"1. {text}"
    return NOT_MARKUP + text if _LOOKS_LIKE_MARKUP.match(text) else text  # typed "- x" stays a paragraph


def _marked(runs: tuple[Run, ...]) -> str:
    """Runs as markup: a typed '*' is a star, a line break stays inside the block, and two
    emphasised runs side by side are kept apart so their stars cannot pair up wrongly."""
    parts: list[str] = []
    emphasised_before = False
    for run in runs:
        text = run.text.replace("*", STAR).replace("\r", "").replace("\n", BREAK)
        marker = ("***" if run.bold and run.italic else "**" if run.bold else "*" if run.italic else "")
        if not text.strip(f" {BREAK}"):
            marker = ""  # emphasis on spaces alone prints nothing different
        if marker and emphasised_before:
            parts.append(SEPARATOR)
        parts.append(f"{marker}{text}{marker}")
        emphasised_before = bool(marker)
    return "".join(parts)

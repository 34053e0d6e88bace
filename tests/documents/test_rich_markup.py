"""The letter markup as formatted blocks (what the window's editor shows) and back: the round trip
changes nothing the PDF prints (issue 11, point 8)."""

from __future__ import annotations

import pytest

from workstation.documents.letter_markup import (
    BREAK,
    NOT_MARKUP,
    STAR,
    RichBlock,
    Run,
    blocks,
    inline,
    markup_of,
    protect,
    rich_blocks,
)

SAMPLE = ("# Request for redetermination\n\nDear Appeals Reviewer:\n\n"
          f"We ask Núñez & <Sons> about {protect('a*b*c')} and AT&T &copy; file_name_x.\n\n"
          "- **CO-18** on line 1, $120.00: a duplicate.\n- second *it* ***both*** item\n\n"
          f"1. **The service.** one\n2. two {protect('line one' + chr(10) + 'line two')}\n\n"
          f"{protect('- not a list')}\n\n**Reason for the delay:** late.\n")


def printed(markup: str) -> list[tuple[str, list[str]]]:
    """What the PDF prints: each block's kind and its reportlab text."""
    out = []
    for block in blocks(markup):
        texts = block.lines if block.kind in ("ul", "ol") else [" ".join(block.lines)]
        out.append((block.kind, [inline(text) for text in texts]))
    return out


def test_the_round_trip_prints_the_same() -> None:
    again = markup_of(rich_blocks(SAMPLE))
    assert printed(again) == printed(SAMPLE)
    assert again == SAMPLE.replace("2. two", "1. two")  # numbers are the PDF's to count


def test_runs_are_what_the_reader_sees() -> None:
    found = rich_blocks(SAMPLE)
    assert found[0] == RichBlock("h", (Run("Request for redetermination"),), 0)
    assert found[2].runs == (Run("We ask Núñez & <Sons> about a*b*c and AT&T &copy; file_name_x."),)
    assert found[3].kind == "ul" and found[3].runs[0] == Run("CO-18", bold=True)
    assert Run("both", bold=True, italic=True) in found[4].runs and found[3].group == found[4].group
    assert found[6].runs == (Run("two line one\nline two"),)
    assert (found[7].kind, found[7].runs) == ("p", (Run("- not a list"),))


@pytest.mark.parametrize("runs", [
    (Run("a", bold=True), Run("b", italic=True)),
    (Run("a", bold=True), Run("b", bold=True, italic=True)),
    (Run("a", italic=True), Run("b", bold=True)),
    (Run("x"), Run("*", bold=True), Run("y * z", italic=True)),
    (Run("tab\tand <tag> & &amp;", bold=True), Run("\nafter the break")),
])
def test_emphasis_side_by_side_comes_back_as_it_was(runs: tuple[Run, ...]) -> None:
    markup = markup_of([RichBlock("p", runs)])
    assert rich_blocks(markup)[0].runs == runs


def test_typed_stars_and_line_starts_are_never_markup() -> None:
    markup = markup_of([RichBlock("p", (Run("# not a heading **nor bold**"),)),
                        RichBlock("p", (Run("1. not a number"),))])
    assert STAR in markup and markup.startswith(NOT_MARKUP)
    assert [b.kind for b in rich_blocks(markup)] == ["p", "p"]
    assert rich_blocks(markup)[0].runs == (Run("# not a heading **nor bold**"),)


def test_two_lists_side_by_side_stay_two_lists() -> None:
    markup = markup_of([RichBlock("ol", (Run("a"),), 1), RichBlock("ol", (Run("b"),), 2)])
    assert [b.kind for b in blocks(markup)] == ["ol", "ol"]  # each numbered from 1


def test_a_line_break_stays_inside_its_paragraph() -> None:
    markup = markup_of([RichBlock("p", (Run("one\ntwo"),))])
    assert BREAK in markup and printed(markup) == [("p", ["one<br/>two"])]


def test_empty_blocks_are_left_out() -> None:
    assert markup_of([RichBlock("p", ()), RichBlock("p", (Run("  "),)), RichBlock("h", (Run("Title"),))]) \
        == "# Title\n"

"""The letter PDF read back with pypdf: every element DOMAIN.md section 4 asks of the letter,
values printed exactly as typed (markup characters, accents, Greek, Cyrillic, '*'), the
embedded font, the claim number and "Page N of M" on every page, and long values that wrap
instead of running off the page. Plus the letter markup's block rules."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from workstation.core.model import Address, Case, Payer, Person
from workstation.core.vocabulary import PayerKind
from workstation.core.workspace_model import PracticeProfile
from workstation.documents.fonts import register_fonts
from workstation.documents.letter_context import letter_context
from workstation.documents.letter_markup import STAR, blocks, inline, plain, protect
from workstation.documents.letter_pdf import MARGIN, letter_pdf
from workstation.documents.letter_templates import LetterTemplate, load_catalog, render_markup

TODAY = date(2026, 3, 31)
CLAIM = "ICN 2026-0001"  # the payer claim number of conftest.full_case()
ENCLOSURES = ["Office visit notes 02/01/2026", "Physician referral", "Plan policy excerpt"]
FOOTER = re.compile(r"^Claim .* · Page \d+ of \d+$")


def practice(**overrides: Any) -> PracticeProfile:
    values: dict[str, Any] = dict(
        name="Riverbend Physical Therapy", address=Address("12 Example Street", "Suite 4", "Sampleburg", "ZZ", "00010"),
        phone="555-0150", fax="555-0151", npi="1234567893", tin="12-3456789", contact_name="Dana Example",
        signer_name="Dana Example", signer_title="Billing Manager")
    values.update(overrides)
    return PracticeProfile(**values)


def context(case: Case, profile: PracticeProfile | None = None, *, enclosures: list[str] | None = None,
            fields: dict[str, str] | None = None) -> dict[str, Any]:
    return letter_context(case, profile or practice(), deadline=None,
                          enclosures=ENCLOSURES if enclosures is None else enclosures, fields=fields or {},
                          today=TODAY)


def general_appeal(ctx: dict[str, Any]) -> str:
    return render_markup(load_catalog().get("general_appeal"), ctx)


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace (line breaks where the PDF wrapped) as single spaces."""
    return " ".join(text.split())


def body_text(pdf: bytes) -> str:
    """Every page's text without its footer line, pages joined: a paragraph split over a page
    break reads on."""
    return "\n".join("\n".join(line for line in text.splitlines() if not FOOTER.match(line)) for text in pages(pdf))


def text_runs(pdf: bytes) -> list[tuple[int, float, float, float, str, str]]:
    """(page, x start, x end, baseline y, font, text) for every line of text drawn."""
    runs: list[tuple[int, float, float, float, str, str]] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float, number: int = number) -> None:
            for line in text.split("\n"):
                if not line.strip() or font is None:
                    continue
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                face = str(font["/BaseFont"]).split("+")[-1]
                width = stringWidth(line, face if face.startswith("DejaVu") else "Helvetica", size * tm[0] * cm[0])
                runs.append((number, x, x + width, y, face, line))

        page.extract_text(visitor_text=visit)
    return runs


def outside_the_text_area(pdf: bytes) -> list[tuple]:
    """Runs that start left of the margin, end right of it, or sit above/below the page's text area."""
    width, height = LETTER
    return [run for run in text_runs(pdf)
            if run[1] < MARGIN - 0.5 or run[2] > width - MARGIN + 0.5
            or not 0.4 * inch <= run[3] <= height - 0.5 * inch]


# -- what the letter holds ---------------------------------------------------------------------


def test_the_letter_holds_every_element_of_a_letter(make_case):
    ctx = context(make_case())
    markup = general_appeal(ctx)
    pdf = letter_pdf(ctx, markup)
    text = flat(body_text(pdf))

    # letterhead: name, address, phone, fax, NPI, TIN
    for expected in ("Riverbend Physical Therapy", "12 Example Street", "Suite 4", "Sampleburg, ZZ 00010",
                     "Phone 555-0150", "Fax 555-0151", "NPI 1234567893", "TIN 12-3456789"):
        assert expected in text, expected
    assert "March 31, 2026" in text
    # the payer and its appeals address (full_case's address carries its own attention line,
    # printed under the payer's name)
    assert "Demo Medicare & Co Attn: Appeals PO Box 1 Exampleton, ZZ 00001" in text
    assert text.count("Attn: Appeals") == 1
    # the reference block, label beside value
    for label, value in (("Patient", "Zoë Ñ O'Brien & <Sons>"), ("Date of birth", "05/17/1950"),
                         ("Medicare number", "MBI-1EG4TE5MK73"), ("Group number", "GRP 9"),
                         ("Patient account", "ACCT-1"),
                         ("Claim number", CLAIM), ("Dates of service", "02/01/2026 to 02/02/2026"),
                         ("Procedures", "97110-GP-59, 99213"), ("Diagnoses", "M54.50, I10"),
                         ("Billed / paid / denied", "$300.00 / $0.00 / $270.00"),
                         # the payer's voice, never the code book's note for the biller (issue 10, point 8)
                         ("Denial", "CO-50 (the service was judged not medically necessary); CO-97 (the service was "
                                    "treated as included in the payment for another service)"),
                         ("Remark codes", "N115, M15"),
                         ("Provider", "Riverbend <Clinic>, NPI 1234567893, TIN 00-0000000, PTAN PTAN1")):
        assert f"{label} {value}" in text, label
    assert "notice of 03/03/2026" in text  # the notice date the biller set
    # the body: every heading, paragraph and list item of the template's text, in order
    position = 0
    for block in blocks(markup):
        for piece in (block.lines if block.kind in ("ul", "ol") else [" ".join(block.lines)]):
            found = text.find(flat(plain(piece)), position)
            assert found >= 0, piece
            position = found
    # the signature block after the body
    signed = text.index("Sincerely, Dana Example Billing Manager Riverbend Physical Therapy Phone 555-0150")
    assert signed > position
    # the numbered enclosures, in order, after the signature block
    listed = text.index("Enclosures 1. Office visit notes 02/01/2026 2. Physician referral 3. Plan policy excerpt")
    assert listed > signed


def test_the_letter_reads_in_order_letterhead_date_payer_reference_body(make_case):
    ctx = context(make_case())
    text = flat(body_text(letter_pdf(ctx, general_appeal(ctx))))
    order = [text.index(x) for x in ("Riverbend Physical Therapy", "March 31, 2026", "Demo Medicare & Co Attn: Appeals",
                                     "Patient Zoë", "Request for", "Sincerely,", "Enclosures 1.")]
    assert order == sorted(order)


def test_attn_appeals_is_added_when_the_address_has_no_attention_line(make_case):
    case = make_case(payer=Payer("Bluebird Health", "99905", PayerKind.COMMERCIAL, False,
                                 Address("5 Placeholder Plaza", "", "Sampleburg", "ZZ", "00005"), "555-0140"))
    ctx = context(case)
    text = flat(body_text(letter_pdf(ctx, general_appeal(ctx))))
    assert "Bluebird Health Attn: Appeals 5 Placeholder Plaza Sampleburg, ZZ 00005" in text
    assert text.count("Attn:") == 1


def test_a_payer_attention_line_is_kept_and_no_second_one_added(make_case):
    case = make_case(payer=Payer("Demo MAC", "99901", PayerKind.MEDICARE, False,
                                 Address("PO Box 1001", "Attn: Redeterminations", "Exampleton", "ZZ", "00001")))
    ctx = context(case)
    text = flat(body_text(letter_pdf(ctx, general_appeal(ctx))))
    assert "Demo MAC Attn: Redeterminations PO Box 1001 Exampleton, ZZ 00001" in text
    assert "Attn: Appeals" not in text


def test_claim_number_and_page_n_of_m_on_every_page_of_a_long_letter(make_case):
    ctx = context(make_case())
    long_body = "\n\n".join(f"Paragraph {n}: the record shows the service was needed and billed as performed; "
                            "the payer's own policy supports payment of the claim as submitted." for n in range(1, 61))
    texts = pages(letter_pdf(ctx, general_appeal(ctx) + "\n" + long_body))
    total = len(texts)
    assert total >= 3
    for number, text in enumerate(texts, start=1):
        assert text.splitlines()[-1] == f"Claim {CLAIM} · Page {number} of {total}", number
        assert len(re.findall(r"Page \d+ of \d+", text)) == 1
    assert "Paragraph 60:" in flat(texts[-1]) or "Paragraph 60:" in flat(texts[-2])


def test_no_enclosures_no_enclosure_heading(make_case):
    ctx = context(make_case(), enclosures=[])
    text = flat(body_text(letter_pdf(ctx, general_appeal(ctx))))
    assert "Enclosures" not in text
    assert "Sincerely, Dana Example" in text


# -- values print as typed ---------------------------------------------------------------------

AWKWARD = "& < > ' ’ é ñ ü ß Ω Ж"


def test_names_and_values_with_markup_characters_and_any_script_print_as_typed(make_case):
    case = make_case(
        patient=Person("O'Brien-Straße & <Söhne>", "Zoë ’Ñü’", "Ωμέγα", date(1950, 5, 17), "MBI<1>&2", "GRP ß"),
        payer=Payer("Жёлтый & <Ωmega> Health", "99905", PayerKind.COMMERCIAL, False,
                    Address("5 Rue d'Été", "", "Sampleburg", "ZZ", "00005")))
    profile = practice(name=f"Clinic {AWKWARD}", signer_name="Ана Σοφία O’Neil", signer_title="Directora & <Jefa>")
    fields = {"additional_argument": f"The argument: {AWKWARD} <b>not bold</b> &amp; stays."}
    ctx = context(case, profile, enclosures=[f"Notes {AWKWARD}"], fields=fields)
    text = flat(body_text(letter_pdf(ctx, general_appeal(ctx))))

    patient = "Zoë ’Ñü’ Ωμέγα O'Brien-Straße & <Söhne>"
    assert f"Patient {patient}" in text  # reference block
    assert text.count(patient) >= 2  # and the body
    assert "Member ID MBI<1>&2" in text and "Group number GRP ß" in text
    assert f"Clinic {AWKWARD}" in text
    assert "Жёлтый & <Ωmega> Health Attn: Appeals 5 Rue d'Été" in text
    assert f"1. Notes {AWKWARD}" in text
    assert "Ана Σοφία O’Neil Directora & <Jefa>" in text
    assert f"The argument: {AWKWARD} <b>not bold</b> &amp; stays." in text
    assert "&lt;" not in text and "&gt;" not in text and "&#" not in text


def test_every_font_is_dejavu_sans_embedded(make_case):
    case = make_case(patient=Person("Жуков", "Ωmega", "", date(1950, 5, 17), "M1", "G1"))
    ctx = context(case)
    pdf = letter_pdf(ctx, general_appeal(ctx) + "\n**bold** and *italic*\n")
    reader = PdfReader(io.BytesIO(pdf))
    embedded: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"} <= embedded
    used = {run[4] for run in text_runs(pdf)}
    assert used <= embedded, used - embedded  # no text is drawn in a font the PDF does not carry


def test_a_star_in_a_value_prints_as_a_star_not_italics(make_case):
    case = make_case(patient=Person("Lee", "Ann *Star*", "", date(1950, 5, 17), "M*1", "G1"),
                     payer=Payer("Acme **Gold** Plan", "99904", PayerKind.ERISA, False,
                                 Address("44 Fictional Avenue", "", "Widgetown", "ZZ", "00004")))
    profile = practice(name="Riverbend *PT* Clinic", signer_name="Dana *Ex*")
    ctx = context(case, profile, enclosures=["Notes *draft*"])
    pdf = letter_pdf(ctx, general_appeal(ctx))
    text = flat(body_text(pdf))
    assert "Patient Ann *Star* Lee" in text  # the reference block
    assert text.count("Ann *Star* Lee") >= 2  # and the body
    assert "Member ID M*1" in text
    assert text.startswith("Riverbend *PT* Clinic")
    assert "Acme **Gold** Plan Attn: Appeals" in text
    assert "1. Notes *draft*" in text
    assert "Dana *Ex*" in text
    assert not any("Oblique" in run[4] for run in text_runs(pdf))  # nothing was set in italics


def test_markup_bold_and_italic_leave_no_stars(make_case):
    ctx = context(make_case(), enclosures=[])
    markup = "# The heading\n\n**Bold words** and *italic words* in a line.\n\n- **Item** one\n1. *Numbered* two\n"
    pdf = letter_pdf(ctx, markup)
    text = flat(body_text(pdf))
    assert "*" not in text
    assert "Bold words and italic words in a line." in text
    assert "Item one" in text and "Numbered two" in text
    fonts = {run[5].strip(): run[4] for run in text_runs(pdf)}
    assert fonts["The heading"] == "DejaVuSans-Bold"
    assert any(t.startswith("Bold words") and f == "DejaVuSans-Bold" for t, f in fonts.items())
    assert any(t.startswith("italic words") and f == "DejaVuSans-Oblique" for t, f in fonts.items())


def test_markup_lists_are_numbered_and_lines_join_into_paragraphs(make_case):
    ctx = context(make_case(), enclosures=[])
    markup = "A first line\nand its second line.\n\n1. first item\n2. second item\n\n- bullet & <item>\n"
    text = flat(body_text(letter_pdf(ctx, markup)))
    assert "A first line and its second line." in text
    assert "1. first item 2. second item" in text
    assert "• bullet & <item>" in text


# -- long values wrap --------------------------------------------------------------------------

LONG_WORDS = " ".join(f"Name{n:03d}ÉñЖΩ" for n in range(200))[:2000]
LONG_UNBROKEN = "Ж" * 700 + "é" * 600 + "abcdefghij" * 70


@pytest.mark.parametrize("name", [LONG_WORDS, LONG_UNBROKEN], ids=["words", "unbroken"])
def test_a_2000_character_name_and_paragraph_wrap_inside_the_page(name, make_case):
    assert len(name) == 2000
    paragraph = ("Ωmega-Жизнь " * 200)[:2000] if name is LONG_WORDS else "x" * 2000
    case = make_case(patient=Person(name, "", "", date(1950, 5, 17), "M1", "G1"))
    ctx = context(case, fields={"additional_argument": paragraph})
    pdf = letter_pdf(ctx, general_appeal(ctx))

    squeezed = "".join(body_text(pdf).split())
    assert squeezed.count("".join(name.split())) >= 2  # reference block and body, every character
    assert "".join(paragraph.split()) in squeezed
    assert outside_the_text_area(pdf) == []
    texts = pages(pdf)
    assert len(texts) >= 2
    assert all(text.splitlines()[-1] == f"Claim {CLAIM} · Page {n} of {len(texts)}"
               for n, text in enumerate(texts, start=1))


def test_the_page_bounds_check_sees_text_that_runs_off_the_page():
    """The check above can fail: a line drawn past the right margin is reported."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=LETTER)
    drawing.setFont(register_fonts(), 10)
    drawing.drawString(MARGIN, 400, "fits")
    drawing.drawString(MARGIN, 380, "Ж" * 200)
    drawing.showPage()
    drawing.save()
    assert [run[5] for run in outside_the_text_area(buffer.getvalue())] == ["Ж" * 200]


# -- layout: what stays together, what goes where ----------------------------------------------


def body_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines without its footer."""
    return [[line for line in text.splitlines() if line.strip() and not FOOTER.match(line)] for text in pages(pdf)]


def fillers(count: int) -> str:
    """One-line paragraphs that push what follows down the page, a line at a time."""
    return "\n\n".join(f"Filler paragraph {n}." for n in range(1, count + 1))


SECOND = "Second paragraph of the section, long enough to wrap over two lines of the letter: it tells the payer " \
         "what the record shows and why the claim should be paid as it was billed."


@pytest.mark.parametrize("last", [False, True], ids=["mid-letter", "last-section"])
def test_a_heading_is_never_the_last_line_of_a_page(make_case, last):
    """Issue 10.9.1: however far down the page a heading falls, the paragraph after it starts on
    the same page (today's letter left the heading alone at the foot of page 1)."""
    ctx = context(make_case(), enclosures=[])
    for count in range(26, 46):
        markup = fillers(count) + "\n\n# Why the claim should be paid\n\n" + SECOND + "\n"
        if not last:
            markup += "\nAnother paragraph.\n\nAnd one more.\n"
        for lines in body_lines(letter_pdf(ctx, markup)):
            if "Why the claim should be paid" in lines:
                at = lines.index("Why the claim should be paid")
                assert at + 1 < len(lines) and lines[at + 1].startswith("Second paragraph"), (count, lines[-3:])


def test_a_long_paragraph_after_a_heading_near_the_foot_splits_instead_of_moving_whole(make_case):
    """The heading takes at least the first two lines of a long paragraph with it and the rest
    runs on over the page: the paragraph is not moved whole, which would leave a half-empty page."""
    ctx = context(make_case(), enclosures=[])
    long = " ".join(f"Visit {n} recorded its goals and the progress made toward them." for n in range(1, 15))
    split = 0
    for count in range(24, 40):
        lines = body_lines(letter_pdf(ctx, fillers(count) + "\n\n# The record\n\n" + long + "\n\nEnd.\n"))
        [page] = [n for n, page in enumerate(lines) if "The record" in page]
        after = lines[page][lines[page].index("The record") + 1:]
        assert len(after) >= 2 and after[0].startswith("Visit 1 recorded"), (count, after)
        split += not any(line.startswith("End.") for line in after) and lines[page + 1][0] != "End."
    assert split >= 3  # near the foot, the paragraph was split over the page break


@pytest.mark.parametrize("last_paragraph", ["The last paragraph of the body.", SECOND * 4],
                         ids=["short-last-paragraph", "long-last-paragraph"])
def test_the_signature_never_starts_a_page_without_the_end_of_the_body(make_case, last_paragraph):
    """Issue 10.9.2: "Sincerely", the signer and the title always share a page with at least the
    last lines of the body (today's letter put the signature block alone on the last page)."""
    ctx = context(make_case(), enclosures=[])
    for count in range(22, 46):
        lines = body_lines(letter_pdf(ctx, fillers(count) + "\n\n" + last_paragraph + "\n"))
        [page] = [n for n, page in enumerate(lines) if "Sincerely," in page]
        at = lines[page].index("Sincerely,")
        assert at >= 1, (count, lines[page][:3])
        assert last_paragraph.endswith(flat(lines[page][at - 1])), (count, lines[page][at - 1])
        assert lines[page][at + 1:at + 3] == ["Dana Example", "Billing Manager"], count  # the block stays whole


def test_the_enclosure_list_comes_after_the_signature_block(make_case):
    """Issue 10.9.6: "Sincerely", signature, name and title, then "Enclosures" and the numbered
    list, below the signature on the page (today's letter listed them above "Sincerely")."""
    ctx = context(make_case())
    pdf = letter_pdf(ctx, general_appeal(ctx))
    runs = [(page, y, text.strip()) for page, _, _, y, _, text in text_runs(pdf)]

    def where(text: str) -> tuple[int, float]:
        [(page, y)] = [(page, y) for page, y, line in runs if line == text]
        return page, -y  # later pages and lower lines sort after

    order = ["Sincerely,", "Dana Example", "Billing Manager", "Enclosures", "1. Office visit notes 02/01/2026",
             "2. Physician referral", "3. Plan policy excerpt"]
    assert [where(text) for text in order] == sorted(where(text) for text in order)
    text = flat(body_text(pdf))
    assert text.index("Phone 555-0150 Enclosures 1. Office visit notes") > text.index("Sincerely,")


@pytest.mark.parametrize(("address", "expected"), [
    (["PO Box 1001", "Attn: Redeterminations", "Exampleton, ZZ 00001"],
     ["Demo MAC", "Attn: Redeterminations", "PO Box 1001", "Exampleton, ZZ 00001"]),
    (["500 Example Road", "Suite 2", "ATTENTION: Part B appeals", "Exampleton, ZZ 00001"],
     ["Demo MAC", "ATTENTION: Part B appeals", "500 Example Road", "Suite 2", "Exampleton, ZZ 00001"]),
    (["PO Box 7", "Appeals Unit", "Exampleton, ZZ 00001"],
     ["Demo MAC", "Appeals Unit", "PO Box 7", "Exampleton, ZZ 00001"]),
    (["PO Box 7", "Exampleton, ZZ 00001"], ["Demo MAC", "Attn: Appeals", "PO Box 7", "Exampleton, ZZ 00001"]),
], ids=["attn-second-line", "attention-third-line", "department-line", "added"])
def test_the_attention_line_goes_under_the_name_above_the_street(make_case, address, expected):
    """Issue 10.9.7: the recipient block reads name, attention line, street, city, top to bottom,
    wherever the address (a payer's, or a level's office on the ladder) keeps its attention line."""
    ctx = context(make_case())
    ctx["payer"] |= {"name": "Demo MAC", "address_lines": address}
    runs = [(y, text.strip()) for page, _, _, y, _, text in text_runs(letter_pdf(ctx, "Body.")) if page == 1]
    block = [next(y for y, text in runs if text == line) for line in expected]
    assert block == sorted(block, reverse=True)  # each line below the one before
    assert all(round(a - b, 1) == 14.0 for a, b in itertools.pairwise(block))  # one block, no gaps


def body_markup(tmp_path: Path, template: str, ctx: dict[str, Any]) -> str:
    path = tmp_path / "probe.j2"
    path.write_text(template, encoding="utf-8")
    return render_markup(LetterTemplate("probe", "Probe", 1, path), ctx)


TYPED = "first line of the argument\n1. a line that looks like an item\n\n# not a heading\r\n- not a bullet either"


def test_a_line_break_typed_in_a_field_stays_inside_its_list_item(make_case, tmp_path: Path):
    """Issue 10.9.8: a value's line breaks never end the numbered item it is in, nor start an item,
    a paragraph or a heading (today "\n1. " restarted the list at 1)."""
    ctx = context(make_case(), enclosures=[], fields={"additional_argument": TYPED})
    markup = body_markup(tmp_path, "1. The facts: {{ fields.additional_argument }}\n2. The policy.\n", ctx)
    assert [(block.kind, len(block.lines)) for block in blocks(markup)] == [("ol", 2)]
    pdf = letter_pdf(ctx, markup)
    text = flat(body_text(pdf))
    assert ("1. The facts: first line of the argument 1. a line that looks like an item # not a heading "
            "- not a bullet either 2. The policy.") in text
    # the typed lines print as lines of item 1, indented under its text, not as items of their own
    runs = {line.strip(): (x, y) for _, x, _, y, _, line in text_runs(pdf)}
    facts_x = runs["The facts: first line of the argument"][0]
    assert [runs[line][0] for line in ("1. a line that looks like an item", "# not a heading",
                                       "- not a bullet either")] == [facts_x] * 3
    assert runs["# not a heading"][1] < runs["1. a line that looks like an item"][1]
    assert not any(face == "DejaVuSans-Bold" for *_, face, line in text_runs(pdf) if "not a heading" in line)


def test_a_field_value_on_a_line_of_its_own_is_one_paragraph_whatever_it_starts_with(make_case, tmp_path: Path):
    for typed in (TYPED, "# Looks like a heading", "1. Looks like an item", "- Looks like a bullet"):
        ctx = context(make_case(), enclosures=[], fields={"additional_argument": typed})
        markup = body_markup(tmp_path, "Before.\n\n{{ fields.additional_argument }}\n\nAfter.\n", ctx)
        assert [block.kind for block in blocks(markup)] == ["p", "p", "p"], typed
        text = flat(body_text(letter_pdf(ctx, markup)))
        assert f"Before. {flat(typed)} After." in text, typed


# -- the letter markup -------------------------------------------------------------------------


def kinds(markup: str) -> list[tuple[str, list[str]]]:
    return [(block.kind, block.lines) for block in blocks(markup)]


def test_blocks_heading_paragraph_and_blank_lines():
    markup = "# Request for appeal\nFirst line of a paragraph\n  second line  \n\n\n   \nNext paragraph\n"
    assert kinds(markup) == [("h", ["Request for appeal"]),
                             ("p", ["First line of a paragraph", "second line"]),
                             ("p", ["Next paragraph"])]


def test_blocks_bullet_and_numbered_lists():
    markup = "Intro:\n- one\n- two\n• three\n\n1. first\n2) second\n10. tenth\nAfter the list.\n"
    assert kinds(markup) == [("p", ["Intro:"]), ("ul", ["one", "two", "three"]),
                             ("ol", ["first", "second", "tenth"]), ("p", ["After the list."])]


def test_blocks_what_is_not_markup():
    markup = "#hashtag is text\n1.5 mg twice daily\n-5 degrees\n"
    assert kinds(markup) == [("p", ["#hashtag is text", "1.5 mg twice daily", "-5 degrees"])]


def test_blocks_windows_line_ends_and_empty_markup():
    assert kinds("# H\r\npara\r\n\r\n- item\r\n") == [("h", ["H"]), ("p", ["para"]), ("ul", ["item"])]
    assert kinds("") == [] and kinds("\n\n  \n") == []


def test_blocks_consecutive_headings_and_lists_stay_apart():
    assert kinds("# One\n# Two\n- a\n1. b\n- c\n") == [("h", ["One"]), ("h", ["Two"]), ("ul", ["a"]),
                                                      ("ol", ["b"]), ("ul", ["c"])]


def test_inline_escapes_then_adds_emphasis():
    assert inline("**A & B** <c> *d*") == "<b>A &amp; B</b> &lt;c&gt; <i>d</i>"
    assert inline('say "hi"') == "say &quot;hi&quot;"
    assert inline(str(protect("Ann *Star* **x**"))) == "Ann *Star* **x**"
    assert plain("**Bold** and *it*" + STAR) == "Bold and it*"
    assert protect(7) == 7


def test_bold_italic_and_crossed_stars_never_break_the_letter(make_case):
    assert inline("***both***") == "<b><i>both</i></b>"
    assert inline("*a **b* c**") == "*a **b* c**"  # crossed emphasis: shown as typed
    assert inline("**a *b** c*") == "**a *b** c*"
    assert plain("***both***") == "both"
    ctx = context(make_case(), enclosures=[])
    pdf = letter_pdf(ctx, "***Both*** at once.\n\nCrossed *a **b* c** stars.\n")
    text = flat(body_text(pdf))
    assert "Both at once." in text and "Crossed *a **b* c** stars." in text
    assert any(run[5].startswith("Both") and run[4] == "DejaVuSans-BoldOblique" for run in text_runs(pdf))

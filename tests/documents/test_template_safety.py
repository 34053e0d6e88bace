"""A practice's own letter template cannot hurt the program (issue 12, points 7-9): a mistake at
run time (`|format`, `format_map`, a macro calling itself) is one sentence naming the file and
line; a template cannot write a letter of millions of characters, count to 100,000 or loop for
minutes (the worker stops it); it reads no file through a link nor outside its folder; it cannot
change the facts the program prints around it; and a template is compiled once, again only when
its file changes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jinja2.sandbox import SecurityError

from workstation.core.model import Case
from workstation.core.workspace_model import PracticeProfile
from workstation.documents import template_worker
from workstation.documents.letter_context import letter_context
from workstation.documents.letter_templates import LetterTemplate, TemplateProblem, load_catalog, render_markup
from workstation.documents.template_sandbox import MAX_LETTER_CHARS, environment_for

TODAY = date(2026, 3, 31)
SECRET = "root:x:0:0:the file a link points to"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The workspace's templates/ folder."""
    templates = tmp_path / "ws" / "templates"
    templates.mkdir(parents=True)
    return templates


@pytest.fixture
def context(make_case) -> dict[str, Any]:
    case: Case = make_case()
    return letter_context(case, PracticeProfile(name="Riverbend Physical Therapy", signer_name="Dana Example"),
                          deadline=None, enclosures=[], fields={"additional_argument": "x" * 1000}, today=TODAY)


def practice_template(folder: Path, body: str, name: str = "ours") -> LetterTemplate:
    (folder / f"{name}.j2").write_text(f"# Request for review\n\n{body}\n", encoding="utf-8")
    return LetterTemplate(id=name, title="Our letter", version=1, path=folder / f"{name}.j2", practice=True)


def refusal(template: LetterTemplate, context: dict[str, Any]) -> str:
    with pytest.raises(TemplateProblem) as refused:
        render_markup(template, context)
    return str(refused.value)


# -- point 7: mistakes at run time --------------------------------------------------------------


@pytest.mark.parametrize(("body", "says"), [
    ('{{ "%s and %s"|format(patient.name) }}', "not enough arguments for format string"),
    ('{{ "{0} {1}".format_map({}) }}', "cannot be used"),
    ('{{ "{missing}".format_map(patient) }}', "looks up 'missing', which is not there"),
    ("{% macro again(n) %}{{ again(n + 1) }}{% endmacro %}{{ again(0) }}", "a macro that calls itself without end"),
])
def test_a_mistake_at_run_time_is_one_sentence_with_its_line(folder: Path, context: dict[str, Any], body: str,
                                                             says: str) -> None:
    sentence = refusal(practice_template(folder, f"Dear Reviewer:\n\n{body}"), context)
    assert sentence.startswith("Line 5 of the letter template ours.j2 ") and says in sentence
    assert "Traceback" not in sentence and sentence.count("\n") == 0


def test_a_mistake_in_a_file_it_includes_names_that_file(folder: Path, context: dict[str, Any]) -> None:
    (folder / "closing.j2").write_text('Thank you.\n{{ "%d"|format("x") }}\n', encoding="utf-8")
    sentence = refusal(practice_template(folder, '{% include "closing.j2" %}'), context)
    assert sentence.startswith("Line 2 of closing.j2, used by the letter template ours.j2, ")


# -- point 8: bounded size and time -------------------------------------------------------------


def test_a_text_repeated_past_a_letter_is_refused_before_it_is_made(folder: Path, context: dict[str, Any]) -> None:
    sentence = refusal(practice_template(folder, '{{ "A" * 10**7 }}'), context)
    assert "repeats a text 10,000,000 times" in sentence


def test_counting_to_a_hundred_thousand_is_refused(folder: Path, context: dict[str, Any]) -> None:
    sentence = refusal(practice_template(folder, "{% for i in range(100000) %}.{% endfor %}"), context)
    assert "counts to 100,000 with range()" in sentence


def test_a_letter_longer_than_the_limit_is_refused(folder: Path, context: dict[str, Any]) -> None:
    body = "{% for i in range(500) %}{{ fields.additional_argument }}\n{% endfor %}"  # 500,000 characters
    assert MAX_LETTER_CHARS < 500 * 1000
    assert f"writes more than {MAX_LETTER_CHARS:,} characters" in refusal(practice_template(folder, body), context)


def test_a_template_still_running_at_the_deadline_is_stopped(folder: Path, context: dict[str, Any],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_worker, "RENDER_SECONDS", 1.0)
    loops = ("{% set n = range(1000) %}{% for a in n %}{% for b in n %}{% for c in n %}{% endfor %}{% endfor %}"
             "{% endfor %}")
    sentence = refusal(practice_template(folder, loops), context)
    assert sentence == ("The letter template ours.j2 was still running after 1 seconds and was stopped (a loop that "
                        "runs too long?); fix the template file.")
    fine = practice_template(folder, "Dear Reviewer:", name="fine")  # the next letter gets a new worker
    assert "Dear Reviewer:" in render_markup(fine, context)


def test_a_practice_template_writes_what_the_same_shipped_one_writes(folder: Path, context: dict[str, Any]) -> None:
    ours = load_catalog().get("general_appeal")
    copy = folder / "general_appeal.j2"
    copy.write_text(ours.path.read_text(encoding="utf-8"), encoding="utf-8")
    practice = LetterTemplate(id=ours.id, title=ours.title, version=ours.version, path=copy, practice=True)
    assert render_markup(practice, context) == render_markup(ours, context)


# -- point 9: links, paths outside, a read-only context ------------------------------------------


def test_an_include_through_a_link_is_refused(folder: Path, context: dict[str, Any]) -> None:
    outside = folder.parent / "secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    (folder / "passwd-link.j2").symlink_to(outside)
    sentence = refusal(practice_template(folder, '{% include "passwd-link.j2" %}'), context)
    assert "uses passwd-link.j2, which is a link to a file elsewhere" in sentence and SECRET not in sentence


def test_an_include_in_a_linked_folder_is_refused(folder: Path, context: dict[str, Any]) -> None:
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "part.j2").write_text(SECRET, encoding="utf-8")
    (folder / "parts").symlink_to(elsewhere, target_is_directory=True)
    sentence = refusal(practice_template(folder, '{% include "parts/part.j2" %}'), context)
    assert "which is a link to a file elsewhere" in sentence


@pytest.mark.parametrize("name", ["../secret.j2", "/etc/hostname", "./../ws/secret.j2"])
def test_an_include_outside_the_folder_is_refused(folder: Path, context: dict[str, Any], name: str) -> None:
    (folder.parent / "secret.j2").write_text(SECRET, encoding="utf-8")
    sentence = refusal(practice_template(folder, f'{{% include "{name}" %}}'), context)
    assert SECRET not in sentence and "ours.j2" in sentence


def test_a_linked_template_is_not_offered(folder: Path) -> None:
    outside = folder.parent / "secret.j2"
    outside.write_text(SECRET, encoding="utf-8")
    (folder / "sneaky.j2").symlink_to(outside)
    catalog = load_catalog(folder)
    assert "sneaky" not in catalog.templates
    assert catalog.problems == ["sneaky.j2: it is a link to a file elsewhere, and a letter template is never read "
                                "through a link; copy the file itself into the templates folder."]


def hard_link_to_a_secret(folder: Path, name: str) -> Path:
    """A second name in templates/ for a file outside it (as `ln /etc/passwd templates/NAME` makes)."""
    outside = folder.parent / "secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    os.link(outside, folder / name)
    assert (folder / name).stat().st_nlink == 2 and not (folder / name).is_symlink()
    return folder / name


def test_an_include_through_a_hard_link_is_refused(folder: Path, context: dict[str, Any]) -> None:
    hard_link_to_a_secret(folder, "passwd-link.j2")
    sentence = refusal(practice_template(folder, '{% include "passwd-link.j2" %}'), context)
    assert "uses passwd-link.j2, which is a hard link" in sentence and SECRET not in sentence


def test_a_hard_linked_template_is_refused_when_filled_in(folder: Path, context: dict[str, Any]) -> None:
    linked = hard_link_to_a_secret(folder, "ours.j2")
    template = LetterTemplate(id="ours", title="Our letter", version=1, path=linked, practice=True)
    sentence = refusal(template, context)
    assert "uses ours.j2, which is a hard link" in sentence and SECRET not in sentence


@pytest.mark.parametrize("linked", ["sneaky.j2", "sneaky.toml"])
def test_a_hard_linked_template_or_metadata_is_not_offered(folder: Path, linked: str) -> None:
    if linked == "sneaky.toml":
        (folder / "sneaky.j2").write_text("# Request\n", encoding="utf-8")
    hard_link_to_a_secret(folder, linked)
    catalog = load_catalog(folder)
    assert "sneaky" not in catalog.templates
    assert catalog.problems == ["sneaky.j2: it is a hard link (the same file has another name, perhaps outside the "
                                "templates folder), and a letter template is never read through a link; copy the "
                                "file itself into the templates folder."]


def test_a_copied_template_is_offered_and_filled_in(folder: Path, context: dict[str, Any]) -> None:
    template = practice_template(folder, "Dear reviewer,")
    assert "ours" in load_catalog(folder).templates
    assert "Dear reviewer," in render_markup(template, context)


@pytest.mark.parametrize("body", [
    "{% set x = patient.update({'name': 'X'}) %}",
    "{% set x = enclosures.append('Not enclosed') %}",
    "{% set x = denial.reasons.pop() %}",
    "{% set x = claim.clear() %}",
])
def test_a_template_cannot_change_the_facts_printed_around_it(folder: Path, context: dict[str, Any], body: str) -> None:
    before = repr(context)
    sentence = refusal(practice_template(folder, body), context)
    assert "tried to change the case's facts" in sentence
    assert repr(context) == before


def test_a_shipped_template_reads_a_context_it_cannot_change(context: dict[str, Any], tmp_path: Path) -> None:
    """Our own templates render in this process: the same read-only sandbox holds."""
    probe = tmp_path / "probe.j2"
    probe.write_text("{% set x = patient.update({'name': 'X'}) %}", encoding="utf-8")
    environment = environment_for(tmp_path)
    with pytest.raises(SecurityError, match="unsafe"):
        environment.get_template("probe.j2").render(**context)
    assert context["patient"]["name"] != "X"


# -- compiled once ------------------------------------------------------------------------------


def test_a_template_is_compiled_once_and_again_when_its_file_changes(tmp_path: Path, context: dict[str, Any]) -> None:
    path = tmp_path / "probe.j2"
    path.write_text("First wording for {{ claim.number }}.\n", encoding="utf-8")
    environment = environment_for(tmp_path)
    compiled = environment.get_template("probe.j2")
    assert environment_for(tmp_path).get_template("probe.j2") is compiled  # nothing changed: not compiled again
    before = path.stat().st_mtime_ns
    path.write_text("Second wording for {{ claim.number }}.\n", encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a coarse clock must still see the edit
    again = environment.get_template("probe.j2")
    assert again is not compiled and again.render(**context).startswith("Second wording")


def test_shipped_letters_are_compiled_once_for_many_cases(context: dict[str, Any]) -> None:
    template = load_catalog().get("general_appeal")
    first = render_markup(template, context)
    compiled = environment_for(template.path.parent).get_template(template.path.name)
    assert render_markup(template, context) == first
    assert environment_for(template.path.parent).get_template(template.path.name) is compiled
    assert re.search(r"claim ICN 2026-0001", first)


def test_the_program_itself_serves_as_the_worker_when_packaged(folder: Path, context: dict[str, Any]) -> None:
    """The frozen program has no `python -m`: it starts itself with the flag, and answers the same."""
    template = practice_template(folder, "Dear Reviewer: {{ claim.number }}")
    program = Path(sys.executable).with_name("workstation")
    request = json.dumps({"folder": str(folder), "name": template.path.name, "context": context})
    served = subprocess.run([str(program), template_worker.FROZEN_FLAG], input=request + "\n", capture_output=True,
                            text=True, encoding="utf-8", timeout=120, check=True)
    ready, reply = (json.loads(line) for line in served.stdout.splitlines())
    assert ready == {"ready": True} and reply == {"markup": render_markup(template, context)}

"""Code cites the requirements kept in the repository (docs/requirements), and only rules that
exist there: a comment or docstring naming a document outside the repository, or a section
number without its document, is a reference no reader can follow."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "docs" / "requirements"

# Names of documents that live outside the repository, as comments used to cite them.
OUTSIDE = re.compile(
    r"\bseeds? 00\d\b|\bdomain\.md\b|\barchitecture\.md\b|\bproduct\.md\b|\bdomain spec\b|\bspec ?§"
    r"|\bthe seed'?s?\b|\b00\d's\b",
    re.IGNORECASE,
)
CITATION = re.compile(r"requirements/(?P<file>[a-z]+)\.md(?P<anchors>(?:\s+§[\d.]*\d(?:,\s+§[\d.]*\d)*)?)")
SECTION_SIGN = re.compile(r"§")
# A section sign after another document's name and number: RFC 9110, ADR 0007, GB 11643, PEP 8.
FOREIGN = re.compile(r"\b[A-Z][A-Za-z]+[ -]?\d+ ?$")


def anchors() -> dict[str, set[str]]:
    """Each requirements file's sections ("## 3. ...") and rules ("3.3 ..." at a line's start)."""
    found: dict[str, set[str]] = {}
    for path in REQUIREMENTS.glob("*.md"):
        numbers: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"## (\d+)\. |(\d+\.\d+) ", line):
                numbers.add(m.group(1) or m.group(2))
        found[path.stem] = numbers
    return found


def commentary(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every comment and docstring of a Python file, or of a template's comments."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        pattern = r"\{#.*?#\}|<!--.*?-->" if path.suffix == ".html" else r"/\*.*?\*/"
        return [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in re.finditer(pattern, text, re.S)]
    found = []
    previous = tokenize.NEWLINE
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            found.append((tok.start[0], tok.string))
        elif tok.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            found.append((tok.start[0], tok.string))  # a string standing as a statement: a docstring
        if tok.type not in (tokenize.COMMENT, tokenize.NL):
            previous = tok.type
    return found


def sources() -> list[Path]:
    paths = [
        p
        for root in ("src", "tests")
        for p in sorted((ROOT / root).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
        and (p.suffix == ".py" or (p.suffix in (".html", ".js", ".css") and root == "src"))
    ]
    assert paths
    return paths


def problems_in(text: str, known: dict[str, set[str]]) -> list[str]:
    problems = [f"cites a document outside the repository: {m.group(0)!r}" for m in OUTSIDE.finditer(text)]
    cited: list[tuple[int, int]] = []
    for m in CITATION.finditer(text):
        cited.append(m.span())
        name = m.group("file")
        if name not in known:
            problems.append(f"cites docs/requirements/{name}.md, which does not exist")
            continue
        problems.extend(
            f"cites requirements/{name}.md §{number}, which has no such section or rule"
            for number in re.findall(r"§([\d.]+)", m.group("anchors"))
            if number not in known[name]
        )
    problems.extend(
        f"cites a section without its document: {text[m.start() : m.start() + 12]!r}"
        for m in SECTION_SIGN.finditer(text)
        if not any(a <= m.start() < b for a, b in cited) and not FOREIGN.search(text[: m.start()])
    )
    return problems


def test_comments_cite_only_requirements_that_exist() -> None:
    known = anchors()
    found = [
        f"{path.relative_to(ROOT)}:{line}: {problem}"
        for path in sources()
        for line, text in commentary(path)
        for problem in problems_in(text, known)
    ]
    assert not found, "\n".join(found)


def test_adrs_and_readme_cite_requirements_that_exist() -> None:
    known = anchors()
    found = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in [*sorted((ROOT / "docs" / "adr").glob("*.md")), ROOT / "README.md"]
        for problem in problems_in(path.read_text(encoding="utf-8"), known)
        if "outside the repository" in problem or "requirements" in problem
    ]
    assert not found, "\n".join(found)


def test_every_context_has_its_requirements_numbered_in_order() -> None:
    contexts = {p.name for p in (ROOT / "src" / "domains").iterdir() if p.is_dir() and p.name not in ("shared", "__pycache__")}
    assert contexts <= {p.stem for p in REQUIREMENTS.glob("*.md")}
    for path in REQUIREMENTS.glob("*.md"):
        if path.name == "README.md":
            continue
        section, rules = None, []
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"## (\d+)\. ", line):
                assert int(m.group(1)) == (section or 0) + 1, f"{path.name}: section {m.group(1)} out of order"
                section, rules = int(m.group(1)), []
            elif m := re.match(r"(\d+)\.(\d+) ", line):
                assert int(m.group(1)) == section, f"{path.name}: rule {m.group(0)} outside its section"
                assert int(m.group(2)) == len(rules) + 1, f"{path.name}: rule {m.group(0)} out of order"
                rules.append(m.group(0))


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("# Paid once (seed 001 §5.2.1).", "outside the repository"),
        ('"""Refunds (domain.md §5.3)."""', "outside the repository"),
        ("# filters as the seed's screens do", "outside the repository"),
        ("# final (§16.4)", "without its document"),
        ("# see requirements/finance.md §9.9", "no such section or rule"),
        ("# see requirements/billing.md §1", "does not exist"),
    ],
)
def test_a_citation_that_cannot_be_followed_is_named(text: str, complaint: str) -> None:
    assert any(complaint in p for p in problems_in(text, anchors()))


def test_citations_that_can_be_followed_pass() -> None:
    text = "# (requirements/finance.md §3.3, §1; requirements/enrolment.md) and RFC 9110 §14"
    assert problems_in(text, anchors()) == []

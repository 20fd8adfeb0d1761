"""axe-core (the copy bundled in the axe-playwright-python wheel, so no network at test time) run
in a Playwright page. The script goes in through `page.evaluate`, which the DevTools protocol runs
in the page's own world without the page's Content-Security-Policy applying to it, so no inline
script tag is needed (the policy would refuse one)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

# What a person relying on assistive technology cannot get past (axe's two highest impacts).
BLOCKING = ("critical", "serious")


@cache
def axe_source() -> str:
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_violations(page: Any, *, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The critical and serious violations axe finds on the page as it is now (without the rules
    named in `skip`)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in skip}}
    result = page.evaluate("options => window.axe.run(document, options)", options)
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(where: str, violations: list[dict[str, Any]]) -> str:
    """One readable paragraph per violation: the rule, its impact, and the offending elements."""
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']} - {v['help']} ({len(v['nodes'])})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line.strip()}" for line in summary.splitlines()[1:3])
    return "\n".join(lines)

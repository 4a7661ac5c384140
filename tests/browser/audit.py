"""What every page must pass at every width: axe-core (WCAG 2.0/2.1/2.2 A and AA) with no violations, no sideways
scrolling, a visible focus ring on every tab stop, and on a phone a lesson's title near the top.

Screenshots land in test-artifacts/matrix/ (first screen and whole page) so a person can look at them.
"""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "matrix"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_TAB_STOPS = 120

# Runs in the page: the focused element's outline, and the colour behind it (the first opaque background up the
# tree, since the ring is drawn outside the element), as numbers.
FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const style = getComputedStyle(el);
  let node = el.parentElement, bg = {r: 255, g: 255, b: 255, a: 1};
  while (node) { const c = parse(getComputedStyle(node).backgroundColor); if (c && c.a > 0.5) { bg = c; break; } node = node.parentElement; }
  const rect = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 40),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: parse(style.outlineColor), bg,
          visible: rect.width > 0 && rect.height > 0};
}"""


def contrast(a: dict, b: dict) -> float:
    def luminance(c):
        def channel(v):
            v = v / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c["r"]) + 0.7152 * channel(c["g"]) + 0.0722 * channel(c["b"])

    hi, lo = sorted([luminance(a), luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
    ]


def sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def focus_ring_problems(page) -> tuple[int, list[str]]:
    """Tab through the page from the top; every stop must show an outline at least 2px wide with 3:1 contrast
    against the background it sits on. Returns (stops visited, problems)."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    problems, seen = [], []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING_JS)
        if ring is None:
            break
        key = (ring["tag"], ring["text"])
        if seen and key == seen[0]:
            break  # wrapped round to the first stop
        seen.append(key)
        if not ring["visible"]:
            continue
        ratio = contrast(ring["color"], ring["bg"]) if ring["color"] else 0
        if ring["style"] in ("none", "hidden") or ring["width"] < 2 or ratio < 3:
            problems.append(f"{ring['tag']} {ring['text']!r}: {ring['style']} {ring['width']}px, {ratio:.1f}:1")
    return len(seen), problems


def audit(page, name: str, *, focus: bool = True) -> dict:
    """Check the page as it is now; returns the figures (for the report) and asserts nothing itself."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.screenshot(path=str(ARTIFACTS / f"{name}-full.png"), full_page=True)
    figures = {
        "name": name,
        "violations": axe_violations(page),
        "overflow": sideways_overflow(page),
        "h1": page.locator("h1").count(),
        "offsite": page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))"
        ),
    }
    if focus:
        figures["tab_stops"], figures["focus_problems"] = focus_ring_problems(page)
    return figures


def problems_in(figures: dict, *, phone: bool = False) -> list[str]:
    """What a person would notice in an audit's figures (empty: nothing); on a phone, a lesson title too far down."""
    found = []
    name = figures["name"]
    if figures["violations"]:
        found.append(f"{name}: axe {figures['violations']}")
    if figures["overflow"] > 0:
        found.append(f"{name}: scrolls sideways by {figures['overflow']}px")
    if figures["h1"] != 1:
        found.append(f"{name}: {figures['h1']} h1")
    if figures["offsite"]:
        found.append(f"{name}: loads from other hosts {figures['offsite']}")
    if figures.get("focus_problems"):
        found.append(f"{name}: focus ring too faint on {figures['focus_problems']}")
    if phone and figures.get("title_top") is not None and figures["title_top"] > 200:
        found.append(f"{name}: lesson title starts {figures['title_top']}px down")
    return found

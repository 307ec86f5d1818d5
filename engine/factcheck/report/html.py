"""A static HTML report: one self-contained file (inline CSS, no script, no font or image, a Content
Security Policy that forbids loading anything), readable on a phone (viewport, one column on narrow
screens). Findings by severity, the bound claims' quotes side by side with speaker, date, outlet and link,
and each finding's review status. Every piece of text passes through safe_text.for_html; only http(s)
source URLs become links."""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.model.rule import Severity
from factcheck.model.tension import BoundClaim, Tension
from factcheck.report.safe_text import for_html, safe_link
from factcheck.tensions.ids import SHORT_ID


@dataclass(frozen=True)
class HtmlFinding:
    """A finding as the report shows it: the tension and where it stands in review."""

    tension: Tension
    review: str | None = None  # 'open', 'confirmed', 'dismissed, changed since review', ...; None: no store
    reason: str | None = None
    note: str | None = None
    reviewer: str | None = None
    decided_at: str | None = None


_STYLE = """
:root{color-scheme:light dark;--fg:#1b1b1f;--bg:#fff;--muted:#5b5b66;--line:#d8d8de;--card:#f6f6f8;
--high:#b3261e;--medium:#8a5a00;--low:#005f73;--info:#5b5b66}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6ea;--bg:#121214;--muted:#a0a0ab;--line:#34343a;
--card:#1c1c20;--high:#ff8a80;--medium:#ffcc66;--low:#7fd3e0;--info:#a0a0ab}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--line)}
.counts{color:var(--muted)}
article{border:1px solid var(--line);border-left:.35rem solid var(--info);border-radius:.4rem;padding:.75rem;
margin:.75rem 0;background:var(--bg)}
article.high{border-left-color:var(--high)}article.medium{border-left-color:var(--medium)}
article.low{border-left-color:var(--low)}
.meta{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;font-size:.9rem;color:var(--muted)}
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;border:1px solid currentColor;font-weight:600}
.sev-high{color:var(--high)}.sev-medium{color:var(--medium)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.status{color:var(--fg)}code{font-size:.85rem}
.title{font-weight:600;margin:.4rem 0 .2rem}.message{margin:.2rem 0 .6rem}
.quotes{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.6rem}
figure{margin:0;padding:.6rem;background:var(--card);border-radius:.3rem}
blockquote{margin:0 0 .4rem;font-style:italic}
figcaption{font-size:.85rem;color:var(--muted)}
.reading{font-size:.8rem;color:var(--muted);margin-top:.3rem}
details{margin-top:.5rem;font-size:.9rem}ul{margin:.3rem 0;padding-left:1.2rem}
a{color:inherit}
@media (max-width:40rem){body{padding:.5rem}.quotes{grid-template-columns:1fr}}
"""

# nothing may be fetched: no script, no frame, no font, no image, no connection; styles only inline
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def render_html(findings: list[HtmlFinding], title: str = "factcheck report", subtitle: str = "") -> str:
    body = [f"<h1>{for_html(title)}</h1>"]
    if subtitle:
        body.append(f'<p class="counts">{for_html(subtitle)}</p>')
    if not findings:
        body.append("<p>No tensions found.</p>")
    counts = [
        f"{n} {level.value}"
        for level in Severity.descending()
        if (n := sum(f.tension.severity is level for f in findings))
    ]
    if findings:
        body.append(f'<p class="counts">{len(findings)} finding(s): {", ".join(counts)}</p>')
    for level in Severity.descending():
        shown = [f for f in findings if f.tension.severity is level]
        if shown:
            body.append(f'<section><h2 class="sev-{level.value}">{level.value.capitalize()} ({len(shown)})</h2>')
            body += [_finding(f) for f in shown]
            body.append("</section>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{for_html(title)}</title>",
            f"<style>{_STYLE.strip()}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
        ]
    )


def _finding(finding: HtmlFinding) -> str:
    t = finding.tension
    level = t.severity.value
    meta = [
        f'<span class="badge sev-{level}">{level}</span>',
        f"<code>{for_html(t.id[:SHORT_ID])}</code>",
        f"<span>{for_html(t.rule)}</span>",
    ]
    if finding.review is not None:
        meta.append(f'<span class="badge status">review: {for_html(finding.review)}</span>')
    parts = [
        f'<article class="{level}" id="t-{for_html(t.id)}">',
        f'<div class="meta">{"".join(meta)}</div>',
        f'<p class="title">{for_html(t.title)}</p>',
        f'<p class="message">{for_html(t.message)}</p>',
        '<div class="quotes">',
        *[_claim(c) for c in t.claims],
        "</div>",
    ]
    decided = [
        f"{label}: {for_html(value)}"
        for label, value in (
            ("reason", finding.reason),
            ("note", finding.note),
            ("by", finding.reviewer),
            ("on", finding.decided_at),
        )
        if value
    ]
    if decided:
        parts.append(f'<p class="meta">{" · ".join(decided)}</p>')
    why = [f"<li>{for_html(f.predicate)}: {for_html(f.detail)}</li>" for f in t.explanation]
    if why or len(t.support) > 1:
        parts.append("<details><summary>why it was flagged</summary>")
        if why:
            parts.append(f"<ul>{''.join(why)}</ul>")
        if len(t.support) > 1:
            parts.append(f"<p>The same question is raised by {len(t.support)} tuples of reports.</p>")
        parts.append("</details>")
    parts.append("</article>")
    return "\n".join(parts)


def _claim(c: BoundClaim) -> str:
    speaker = c.speaker.name + (f", {c.speaker.role}" if c.speaker.role else "")
    link = safe_link(c.source.url)
    outlet = for_html(c.source.outlet)
    source = f'<a href="{link}" rel="noopener noreferrer nofollow">{outlet}</a>' if link else outlet
    return (
        "<figure>"
        f"<blockquote>{for_html(c.quote)}</blockquote>"
        f"<figcaption><strong>{for_html(speaker)}</strong> · {for_html(c.said_on)} · {source}"
        f" · {for_html(c.quote_kind.value)}<br>{for_html(c.source.title)} ({for_html(c.source.published)})"
        "</figcaption>"
        f'<div class="reading">{for_html(c.binding)} = {for_html(c.claim)}: {for_html(c.reading)}</div>'
        "</figure>"
    )

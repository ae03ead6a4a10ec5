"""Every page carries a strict Content Security Policy and the other security headers, and its HTML needs nothing
the policy refuses: no inline script or style, no event-handler attributes, nothing from another host."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from kinplan.core.tests.csp_checks import assert_security_headers, inline_code_in
from kinplan.meetings.tests.factories import HeldMeetingFactory
from kinplan.planning.tests.factories import GoalFactory, PlanFactory, StepFactory

pytestmark = pytest.mark.django_db

KINPLAN = Path(settings.BASE_DIR) / "kinplan"
# The functions that turn a template into a PDF (kinplan/documents/pdf.py), and those that only make a string of it.
PDF_RENDERERS = {"render_pdf", "render_document"}
STRING_RENDERERS = {"render_html", "render_to_string"}


@pytest.fixture
def plan(case):
    """Alice's case with a plan: a goal and a step."""
    plan = PlanFactory(case=case)
    StepFactory(goal=GoalFactory(plan=plan, title="A safe, stable home"), what="Visit the budget advisor")
    return plan


@pytest.fixture
def meeting(case):
    return HeldMeetingFactory(case=case)


def pages(case, meeting) -> dict[str, list[str]]:
    """The pages each person opens, by the fixture that names them."""
    worker_pages = [
        reverse("home"),
        reverse("cases:caseload"),
        reverse("cases:detail", args=[case.pk]),
        reverse("planning:plan", args=[case.pk]),
        reverse("planning:timeline", args=[case.pk]),
        reverse("meetings:record", args=[case.pk, meeting.pk]),
        reverse("planning:overdue"),
        reverse("api:openapi-view"),
    ]
    return {
        "alice": worker_pages,
        "site_manager": worker_pages,
        "administrator": [
            reverse("admin:index"),
            reverse("admin:accounts_user_changelist"),
            reverse("api:openapi-view"),
        ],
        "anonymous": [reverse("accounts:login"), reverse("admin:login"), reverse("api:openapi-view")],
    }


@pytest.mark.parametrize("who", ["alice", "site_manager", "administrator", "anonymous"])
def test_every_page_has_a_strict_policy_and_needs_nothing_it_refuses(client, request, who, case, plan, meeting):
    # given
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for url in pages(case, meeting)[who]:
        # when
        response = client.get(url, follow=True)
        # then
        assert response.status_code == 200, (url, response.redirect_chain)
        assert_security_headers(response)
        assert inline_code_in(response.content.decode()) == [], url


def test_an_htmx_partial_has_the_policy_and_no_inline_code(client, alice, case):
    # given
    client.force_login(alice)
    # when
    response = client.get(reverse("cases:caseload"), {"q": "Ngata"}, headers={"HX-Request": "true"})
    # then
    assert response.status_code == 200
    assert "<html" not in response.content.decode(), "expected the partial, not the page"
    assert_security_headers(response)
    assert inline_code_in(response.content.decode()) == []


def test_the_page_tells_htmx_to_add_no_inline_style_and_to_evaluate_nothing(client, alice):
    client.force_login(alice)
    html = client.get(reverse("cases:caseload")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert config, "base.html should configure htmx"
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)


def test_a_print_button_is_a_data_attribute_handled_by_kinplan_js(client, alice, case, plan):
    client.force_login(alice)
    html = client.get(reverse("planning:timeline", args=[case.pk])).content.decode()
    assert re.search(r"<button type=\"button\" data-print>\s*Print\s*</button>", html)
    script = (KINPLAN / "static" / "js" / "kinplan.js").read_text()
    assert "[data-print]" in script and "window.print()" in script


def test_a_pdf_keeps_only_the_rule_against_framing_so_the_browser_viewer_can_show_it(client, alice, case, plan):
    # given
    client.force_login(alice)
    # when
    response = client.get(reverse("documents:service_plan", args=[case.pk]))
    # then Chrome's PDF viewer (inline styles, an <embed>) is not blocked, and no other site may frame the PDF
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_api_answer_has_the_headers_too(client, alice, case):
    client.force_login(alice)
    api = client.get(f"/api/v1/cases/{case.pk}")
    assert api.status_code == 200
    assert_security_headers(api)


# --- templates -----------------------------------------------------------------------------------------------


def template_name(path: Path) -> str:
    return "/".join(path.relative_to(KINPLAN).parts[2:])  # kinplan/<app>/templates/<name>


def all_templates() -> list[Path]:
    return sorted(KINPLAN.glob("*/templates/**/*.html"))


def python_sources() -> list[Path]:
    return [p for p in KINPLAN.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def calls_naming_a_template() -> list[tuple[Path, str, str]]:
    """(file, function called, template name) for each call in Kinplan's code with a template name as argument."""
    found = []
    for source in python_sources():
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    if isinstance(arg, ast.Constant) and str(arg.value).endswith(".html"):
                        found.append((source, called, arg.value))
    return found


def pdf_templates() -> set[str]:
    """Templates rendered only into PDFs by WeasyPrint, never sent to a browser as a page: the documents' base and
    what extends it, and whatever is handed to a PDF renderer. They may keep their <style> elements."""
    names = {"documents/base.html"}
    names |= {name for _source, called, name in calls_naming_a_template() if called in PDF_RENDERERS}
    for path in all_templates():
        if re.match(r"\s*{% extends [\"']documents/base.html[\"'] %}", path.read_text()):
            names.add(template_name(path))
    return names


def served_templates() -> list[Path]:
    """Every HTML template a browser may be sent: all of kinplan/*/templates but the PDF ones."""
    pdfs = pdf_templates()
    return [path for path in all_templates() if template_name(path) not in pdfs]


INLINE_IN_TEMPLATE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on (htmx evaluates it)": re.compile(r"\shx-on", re.I),
    "[…] event filter in hx-trigger (htmx evaluates it)": re.compile(r"hx-trigger\s*=\s*[\"'][^\"']*\["),
    "js: in hx-vals/hx-headers (htmx evaluates it)": re.compile(
        r"hx-(?:vals|headers)\s*=\s*['\"]\s*(?:js|javascript):"
    ),
}


def test_the_template_list_covers_every_app_and_leaves_out_only_the_pdfs():
    names = {template_name(path) for path in served_templates()}
    assert {"base.html", "planning/timeline.html", "meetings/record.html", "cases/caseload.html"} <= names
    pdfs = pdf_templates()
    assert {"documents/service_plan.html", "permanent_care/letter.html"} <= pdfs
    assert not names & pdfs


@pytest.mark.parametrize("path", served_templates(), ids=lambda p: p.relative_to(KINPLAN).as_posix())
def test_no_served_template_has_inline_code(path):
    text = path.read_text()
    found = [what for what, pattern in INLINE_IN_TEMPLATE.items() if pattern.search(text)]
    assert not found, f"{path.relative_to(KINPLAN)}: {found}"


def test_no_view_sends_a_pdf_template_to_the_browser_as_a_page():
    """The PDF templates' inline styles are fine only as long as they are never served as HTML: they are only
    handed to the PDF renderers (or made into a string, as the PDF renderers do), never to render() or a
    TemplateResponse, and none of them extends the pages' base.html."""
    pdfs, calls = pdf_templates(), calls_naming_a_template()
    served = [
        f"{source.relative_to(KINPLAN)}: {called}({name!r})"
        for source, called, name in calls
        if name in pdfs and called not in PDF_RENDERERS | STRING_RENDERERS
    ]
    assert not served
    in_calls = {(source, name) for source, _called, name in calls}
    named_elsewhere = [
        f"{source.relative_to(KINPLAN)}: {name}"
        for source in python_sources()
        for name in re.findall(r"[\"']([\w/]+\.html)[\"']", source.read_text())
        if name in pdfs and (source, name) not in in_calls
    ]
    assert not named_elsewhere, "a PDF template named outside a render call (template_name = …?)"
    for path in all_templates():
        if template_name(path) in pdfs:
            assert not re.search(r"{% extends [\"']base.html[\"'] %}", path.read_text()), path


def test_every_post_form_in_a_template_carries_the_csrf_token():
    form = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
    missing = []
    for path in all_templates():
        for match in form.finditer(path.read_text()):
            opening = match.group(0)[: match.group(0).index(">") + 1]
            if re.search(r"method\s*=\s*[\"']?post", opening, re.I) and "{% csrf_token %}" not in match.group(0):
                missing.append(f"{path.relative_to(KINPLAN)}: {opening}")
    assert not missing


# --- the checker itself ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<button onclick="go()">Go</button>',
        '<p style="color: red">x</p>',
        "<style>p { color: red }</style>",
        '<a href="javascript:go()">Go</a>',
        '<a href=" JavaScript:go()">Go</a>',
        '<script src="https://cdn.example.com/htmx.js"></script>',
        '<link rel="stylesheet" href="//cdn.example.com/x.css">',
        '<img src="http://example.com/track.gif">',
        '<script src="data:text/javascript,alert(1)"></script>',
        '<svg><rect style="fill: red"/></svg>',
    ],
)
def test_the_checker_finds_what_the_policy_refuses(html):
    assert inline_code_in(html)


@pytest.mark.parametrize(
    "html",
    [
        '<script src="/static/js/kinplan.js" defer></script>',
        '<link rel="stylesheet" href="/static/css/kinplan.css">',
        '<img src="data:image/png;base64,AAAA" alt="">',
        '<script type="application/json" id="settings">{"a": 1}</script>',
        '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>',
        '<a href="https://www.legislation.govt.nz/">Oranga Tamariki Act</a>',
        '<button type="button" data-print>Print</button>',
    ],
)
def test_the_checker_passes_what_the_policy_allows(html):
    assert inline_code_in(html) == []

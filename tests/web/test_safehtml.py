"""The one reviewed place that marks HTML safe (issue 12.10)."""

from __future__ import annotations

from django.template import Context, Template

from mkk.core.safehtml import trusted_html

ATTACKS = [
    "<script>alert(1)</script>",
    '<p onclick="alert(1)">x</p>',
    '<img src="javascript:alert(1)">',
    '<img src="data:text/html,<script>alert(1)</script>">',
    '<a href="javascript:alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<iframe src='https://evil.invalid'></iframe>",
    "<svg onload=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
]


def test_attacks_are_removed():
    for attack in ATTACKS:
        out = str(trusted_html(attack)).lower()
        for bad in ("<script", "onclick", "onload", "javascript:", "style=", "<iframe", "<svg"):
            assert bad not in out, (attack, out)
        assert "data:text/html" not in out


def test_report_and_minutes_markup_survive():
    html = (
        '<section class="cover"><h2 class="cover-title">Raporti</h2></section>'
        '<table class="report-table"><caption>T</caption><thead><tr><th scope="col">A</th>'
        '</tr></thead><tbody><tr><td colspan="2">1</td></tr></tbody></table>'
        '<figure class="chart"><img src="data:image/png;base64,iVBORw0KGgo=" alt="Grafik">'
        "</figure><p><strong>b</strong> <em>i</em></p><ul><li>x</li></ul>"
    )
    out = str(trusted_html(html))
    for kept in (
        '<section class="cover">',
        '<th scope="col">',
        '<td colspan="2">',
        'src="data:image/png;base64,iVBORw0KGgo="',
        "<strong>b</strong>",
        "<li>x</li>",
    ):
        assert kept in out


def test_template_filter():
    out = Template("{% load safehtml %}{{ v|trusted_html }}").render(
        Context({"v": "<p>A &amp; B</p><script>x()</script>"})
    )
    assert out == "<p>A &amp; B</p>"

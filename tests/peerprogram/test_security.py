import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
OUR_TEMPLATES = [
    path
    for folder in ["templates", "peerprogram", "groups", "participants", "volunteers", "evaluation"]
    for path in (ROOT / folder).rglob("*.html")
]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.smoke
@pytest.mark.django_db
def test_public_pages_allow_no_inline_scripts_or_styles(client, org_a):
    for url in [reverse("home"), reverse("organisation_privacy", args=[org_a.slug])]:
        policy = directives(client.get(url))
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_only_the_admin_may_use_inline_styles_and_never_inline_scripts(client_for, coordinator_a):
    response = client_for(coordinator_a).get(reverse("admin:index"))
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" in policy["style-src"]
    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_pages_cannot_be_framed(client):
    assert client.get(reverse("home"))["X-Frame-Options"] == "DENY"


def test_our_templates_hold_no_inline_code_or_styles():
    assert OUR_TEMPLATES, "no templates found"
    offenders = []
    for path in OUR_TEMPLATES:
        text = path.read_text()
        if re.search(r"\sstyle\s*=", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline style or event handler")
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            attributes, body = match.groups()
            if body.strip() and "application/json" not in attributes:
                offenders.append(f"{path}: inline <script> code")
            if "src=" not in attributes and "application/json" not in attributes:
                offenders.append(f"{path}: <script> without src")
        if "javascript:" in text:
            offenders.append(f"{path}: javascript: URL")
    assert offenders == []

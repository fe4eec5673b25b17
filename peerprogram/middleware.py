from csp.middleware import CSPMiddleware, PolicyParts


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The project's CSP, with one narrow exception for the Django admin.

    Django's own admin templates and widgets (e.g. the related-object popups, the calendar
    and the inline formset templates) still write `style="..."` attributes, so `/admin/`
    alone may use inline styles. Inline scripts stay forbidden everywhere.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**(parts.update or {}), "style-src": ["'unsafe-inline'"]}
        return parts

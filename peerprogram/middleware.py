from urllib.parse import urlencode

from csp.middleware import CSPMiddleware, PolicyParts
from django.shortcuts import redirect
from django.urls import reverse

from peerprogram.accounts import signin


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


class StaffTwoFactorMiddleware:
    """Staff who signed in with a password only are sent to the code step, wherever they go.

    Until the second factor is given (`peerprogram.accounts.signin.staff_must_verify`), the
    only pages open to them are the code step, setting up an app, logging out and switching
    language.
    Put it after django_otp's OTPMiddleware.
    """

    OPEN = ["staff_verify", "staff_setup", "logout", "admin:logout", "set_language"]

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signin.staff_must_verify(request.user) and request.path_info not in self._open_paths():
            next_url = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('staff_verify')}?{next_url}")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {reverse(name) for name in StaffTwoFactorMiddleware.OPEN}

"""Security headers Django has no setting for: Permissions-Policy, Cross-Origin-Resource-Policy, and a PDF's own
Content Security Policy.

Sits right after django-csp's CSPMiddleware, so it sees each response first: the PDF policy it sets is left alone
by CSPMiddleware, which never replaces a Content-Security-Policy header that is already there.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

# Kinplan uses none of these browser features: a page (or anything injected into one) may not ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

# A PDF is shown by the browser's own viewer, which Chrome builds as a page with inline styles and an <embed>
# of the PDF: the pages' policy (style-src 'self', object-src 'none') would leave it blank. A PDF runs no script
# of Kinplan's origin, so it only keeps the rule that no other site may frame it.
PDF_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Another site may not load Kinplan's answers (a PDF, a JSON list) into its own page, even as an <img>.
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if response.get("Content-Type", "").startswith("application/pdf"):
            response.headers.setdefault("Content-Security-Policy", PDF_CONTENT_SECURITY_POLICY)
        return response

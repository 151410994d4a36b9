"""Content-Security-Policy on every response.

The site's own pages run only the scripts and styles it serves itself: no inline script, no inline style, no
other origin, and no framing. Wagtail's admin still renders a few inline scripts of its own (date pickers,
inline panels), so paths under the prefixes in ``CONTENT_SECURITY_POLICY_RELAXED_PREFIXES`` get the same policy
with ``'unsafe-inline'`` added for scripts and styles; they are only reachable by signed-in staff with
two-factor sign-in.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


def policy_header(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


def relaxed(directives: dict[str, list[str]]) -> dict[str, list[str]]:
    """The admin's policy: its inline scripts and styles run, and it may frame its own page previews."""
    loosened = dict(directives)
    for name in ("script-src", "style-src"):
        loosened[name] = [*directives.get(name, ["'self'"]), "'unsafe-inline'"]
    if "frame-ancestors" in directives:
        loosened["frame-ancestors"] = ["'self'"]
    return loosened


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        directives = settings.CONTENT_SECURITY_POLICY
        self.strict = policy_header(directives)
        self.relaxed = policy_header(relaxed(directives))
        self.relaxed_prefixes = tuple(settings.CONTENT_SECURITY_POLICY_RELAXED_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            relaxed_path = request.path.startswith(self.relaxed_prefixes)
            response[HEADER] = self.relaxed if relaxed_path else self.strict
        return response

"""Deployment checks for sign-in: ``manage.py check --deploy`` says what a production setting leaves open."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def client_address_is_known(app_configs, **kwargs) -> list[Warning]:
    """Behind a proxy, rate limits keyed on the connection's address would count every visitor as one."""
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT or settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
        return []
    return [
        Warning(
            "Sign-in, sign-up and upload limits count per client address, but no proxy is trusted to say what "
            "that address is: behind a proxy every visitor would share the proxy's address and its limits.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the site (usually 1), or "
            "TRUSTED_CLIENT_IP_HEADER to the header your proxy sets (e.g. X-Real-IP).",
            id="accounts.W001",
        )
    ]

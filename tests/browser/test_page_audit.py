"""Every page the public, a supplier or a judge can open is audited (``test_audit_*``) or left out with a reason.

The URL names come from the URL configuration: a new public, supplier or judge URL fails here until an audit
reaches it (listed in ``url_names.AUDITS`` under the test that reaches it, which checks it did) or it is excluded
with the reason.
"""

from .url_names import AUDITED, EXCLUDED, public_supplier_and_judge_url_names


def test_every_public_supplier_and_judge_url_is_audited_or_excluded():
    names = public_supplier_and_judge_url_names()
    missing = sorted(names - AUDITED - EXCLUDED.keys())
    assert not missing, f"Public, supplier or judge URL names neither audited nor excluded: {missing}"
    stale = sorted((AUDITED | EXCLUDED.keys()) - names)
    assert not stale, f"Audited or excluded URL names that no longer exist: {stale}"
    assert not AUDITED & EXCLUDED.keys(), AUDITED & EXCLUDED.keys()

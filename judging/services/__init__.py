"""Writes for judging, one module per concern (HackSoft's services package): ``panel``, ``invitations``,
``conflicts``, ``screening``, ``assignments``, ``reviews`` and ``decisions``. Each function checks its permission
and its rule, saves, and records an audit event; callers import from the module that owns the write."""

"""How judging names people on the record."""


def judge_label(judge) -> str:
    """How the audit log names a judge: staff read it, so the full name and address."""
    name = judge.get_full_name() if hasattr(judge, "get_full_name") else ""
    return f"{name} <{judge.email}>" if name else judge.email

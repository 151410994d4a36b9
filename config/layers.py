"""The apps in the order they may depend on each other: each floor may import the floors below it, never a floor
above nor another app on its own floor. ``tests/architecture`` checks every import, and every model reference such
as ``ForeignKey("submissions.Proposal")``, against this list. ``core`` is a plain package of site-wide helpers.

Higher apps react to lower ones through signals the lower app defines (``accounts.signals``,
``challenges.signals``) or by calling them; a lower app never reaches up.
"""

LAYERS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("challenges",),
    ("notifications",),
    ("accounts", "audit", "pagecache"),
    ("clarifications", "submissions"),
    ("judging",),
    ("pilots",),
    ("archive", "opendata"),
    ("home",),
    ("demo",),
)

FLOOR: dict[str, int] = {app: floor for floor, apps in enumerate(LAYERS) for app in apps}

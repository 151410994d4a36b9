"""Apps depend one way (``config/layers.py``): no import, and no model reference, from a lower floor to a higher one
or across one floor; and no import of the project's own code hidden inside a function (the way to dodge an import
loop), except Django's ``AppConfig.ready()``, which is where signal receivers are connected."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from config.layers import FLOOR

ROOT = Path(__file__).resolve().parents[2]
MODEL_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField", "ParentalKey", "ParentalManyToManyField"}


def app_modules():
    for app in FLOOR:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def imported_app(node: ast.AST, path: Path) -> list[str]:
    """The project apps a node imports (relative imports stay inside the module's own app)."""
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names if alias.name.split(".")[0] in FLOOR]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        top = node.module.split(".")[0]
        return [top] if top in FLOOR else []
    return []


def model_references(node: ast.AST) -> list[str]:
    """Apps named by a model field's string target, e.g. ``ForeignKey("submissions.Proposal")`` names submissions."""
    if not isinstance(node, ast.Call) or not node.args:
        return []
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    target = node.args[0]
    if name in MODEL_FIELDS and isinstance(target, ast.Constant) and isinstance(target.value, str):
        app = target.value.split(".")[0]
        return [app] if "." in target.value and app in FLOOR else []
    return []


def dependencies() -> list[tuple[str, str, str]]:
    found = []
    for app, path in app_modules():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            for other in imported_app(node, path) + model_references(node):
                if other != app:
                    found.append((app, other, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


def test_no_app_depends_on_a_higher_app_or_one_on_its_own_floor():
    wrong = [
        f"{where}: {app} (floor {FLOOR[app]}) depends on {other} (floor {FLOOR[other]})"
        for app, other, where in dependencies()
        if FLOOR[other] >= FLOOR[app]
    ]
    assert not wrong, "\n".join(wrong)


def function_level_imports(path: Path) -> list[str]:
    found = []

    def visit(node, inside: str | None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
            elif isinstance(child, ast.Import | ast.ImportFrom) and inside and inside != "ready":
                own = isinstance(child, ast.ImportFrom) and child.level > 0
                if own or imported_app(child, path):
                    found.append(f"{path.relative_to(ROOT)}:{child.lineno} (in {inside})")
            else:
                visit(child, inside)

    visit(ast.parse(path.read_text(), filename=str(path)), None)
    return found


def test_no_import_of_the_projects_own_code_is_hidden_inside_a_function():
    hidden = [found for _, path in app_modules() for found in function_level_imports(path)]
    assert not hidden, "\n".join(hidden)


@pytest.mark.parametrize("app", sorted(FLOOR))
def test_every_app_on_the_list_is_a_real_package(app):
    assert (ROOT / app / "__init__.py").exists(), app


def test_every_app_of_the_project_is_on_the_list():
    """A new app is checked too: it must be given a floor before it can be installed."""
    ours = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name.split(".")[0]).is_dir()}
    assert ours - set(FLOOR) == set()


QUERYSET_CALLS = {"get_object_or_404", "get_list_or_404", "filter", "exclude", "exists", "aggregate", "annotate",
                  "select_related", "prefetch_related", "values_list", "order_by", "update_or_create"}  # fmt: skip


def test_the_managers_judging_pages_run_no_query_of_their_own():
    """judging/admin_views only calls selectors and services: every query of those pages is in judging/selectors."""
    found = []
    for path in sorted((ROOT / "judging" / "admin_views").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                found.append(f"{path.name}:{node.lineno} .objects")
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in QUERYSET_CALLS:
                    found.append(f"{path.name}:{node.lineno} {name}()")
    assert not found, "\n".join(found)


ONE_PLACE = {
    "submissions/workflow.py": {"WITHDRAWABLE", "RECEIVED", "IN_PLAY", "ASSIGNABLE", "ASSIGNABLE_BY_HAND",
                                "UNDER_REVIEW", "RANKED", "DECIDABLE", "UNDECIDED", "AWARDS", "OUTCOMES",
                                "OUTCOME_COLOURS", "WITHDRAWAL_RULE", "TRANSITIONS", "frozen_reason"},
    "judging/selectors/public.py": {"announced_awards", "public_award", "PublicAward"},
}  # fmt: skip


def definitions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for _, path in app_modules():
        for node in ast.parse(path.read_text()).body:
            names = []
            if isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            elif isinstance(node, ast.FunctionDef | ast.ClassDef):
                names = [node.name]
            for name in names:
                found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def test_each_status_group_and_each_publishing_rule_is_defined_once():
    found = definitions()
    for home, names in ONE_PLACE.items():
        for name in names:
            assert found.get(name) == [home], (name, found.get(name))


def test_no_other_module_lists_proposal_statuses_of_its_own():
    """A tuple, list or set of two or more ``ProposalStatus`` members is a status group: it belongs beside the
    workflow table, where every other app reads it."""
    found = []
    for _, path in app_modules():
        if path == ROOT / "submissions" / "workflow.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) >= 2:
                owners = {element.value.id for element in node.elts if isinstance(element, ast.Attribute)
                          and isinstance(element.value, ast.Name)}  # fmt: skip
                members = all(isinstance(element, ast.Attribute) for element in node.elts)
                if members and owners and owners <= {"S", "ProposalStatus"}:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "\n".join(found)

"""The dependency direction of docs/design (core <- propagators <- analyses <- api <- cli),
checked on the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "orbitlink"

# Third-party packages only some modules may import, and who.
RESTRICTED = {
    "skyfield": ("orbitlink.times", "orbitlink.earth", "orbitlink.sun", "orbitlink.propagators"),
    "sgp4": ("orbitlink.elements", "orbitlink.propagators"),
    "hapsira": ("orbitlink.propagators.poliastro",),
    "matplotlib": ("orbitlink.plot",),
}


def _modules():
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        yield name, path


def _imports(name, path):
    """Absolute names of everything a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module
            yield prefix
            for alias in node.names:
                yield f"{prefix}.{alias.name}"


def _allowed(module, owners):
    return any(module == o or module.startswith(o + ".") or module.startswith(o + "_") for o in owners)


def test_core_is_pure_numpy():
    for name, path in _modules():
        if not name.startswith("orbitlink.core"):
            continue
        for imp in _imports(name, path):
            top = imp.split(".")[0]
            assert top not in ("astropy", "skyfield", "sgp4", "hapsira", "shapely"), (name, imp)
            if top == "orbitlink":
                assert imp.startswith(("orbitlink.core", "orbitlink.constants")), (name, imp)


def test_restricted_packages_stay_in_their_modules():
    for name, path in _modules():
        for imp in _imports(name, path):
            top = imp.split(".")[0]
            if top in RESTRICTED:
                assert _allowed(name, RESTRICTED[top]), f"{name} imports {imp}"


def test_nothing_imports_the_cli_and_propagators_import_no_analysis():
    analyses = ("orbitlink.eclipse", "orbitlink.visibility", "orbitlink.selection", "orbitlink.link",
                "orbitlink.feasibility", "orbitlink.api", "orbitlink.cli", "orbitlink.scale")
    for name, path in _modules():
        for imp in _imports(name, path):
            if imp.startswith("orbitlink.cli"):
                assert name.startswith("orbitlink.cli") or name == "orbitlink.__main__", (name, imp)
            if name.startswith("orbitlink.propagators"):
                assert not imp.startswith(analyses), (name, imp)


def test_every_public_name_resolves():
    import orbitlink

    for name in orbitlink.__all__:
        assert getattr(orbitlink, name) is not None, name

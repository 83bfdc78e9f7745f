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
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            node.body = []  # annotations only, never imported at run time (cleared before walking below)
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
    return any(module == o or module.startswith(o + ".") for o in owners)


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


ANALYSES = ("orbitlink.eclipse", "orbitlink.visibility", "orbitlink.selection", "orbitlink.groundtrack",
            "orbitlink.link", "orbitlink.feasibility", "orbitlink.scale")


def _within(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_nothing_imports_the_cli_and_propagators_import_no_analysis():
    for name, path in _modules():
        for imp in _imports(name, path):
            if _within(imp, ("orbitlink.cli",)):
                assert _within(name, ("orbitlink.cli",)) or name == "orbitlink.__main__", (name, imp)
            if _within(name, ("orbitlink.propagators",)):
                assert not _within(imp, ANALYSES + ("orbitlink.api", "orbitlink.plot")), (name, imp)


def test_analyses_use_the_propagators_package_not_the_old_api_module():
    # orbitlink/api.py only re-exports propagators/ for old imports; the README draws
    # analyses <- api, so an analysis importing it would point the arrow the wrong way.
    for name, path in _modules():
        if _within(name, ANALYSES + ("orbitlink.plot",)):
            for imp in _imports(name, path):
                assert not _within(imp, ("orbitlink.api",)), (name, imp)


def test_only_the_cli_and_plots_import_the_plots():
    for name, path in _modules():
        for imp in _imports(name, path):
            if _within(imp, ("orbitlink.plot",)) and not imp.startswith("orbitlink.plot_"):
                assert _within(name, ("orbitlink.plot", "orbitlink.cli")) or name.startswith("orbitlink.plot_"), \
                    (name, imp)


MAX_MODULE_LINES = 800


def test_no_module_is_longer_than_the_limit():
    long = {name: n for name, path in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def _module_graph():
    """Edges module -> module for every import (function-level ones too): an imported name is
    resolved to the module that defines it, so `from . import errors` points at orbitlink.errors."""
    modules = dict(_modules())
    edges = set()
    for name, path in modules.items():
        for imp in _imports(name, path):
            if not imp.startswith("orbitlink"):
                continue
            target = imp
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges.add((name, target))
    # `from pkg import submodule` yields both pkg and pkg.submodule: keep only the submodule.
    for a, b in list(edges):
        if any(x == a and y.startswith(b + ".") for x, y in edges):
            edges.discard((a, b))
    return sorted(modules), edges


def _import_cycles():
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    names, edges = _module_graph()
    index = {n: k for k, n in enumerate(names)}
    rows = [index[a] for a, _ in edges]
    cols = [index[b] for _, b in edges]
    g = csr_matrix(([1] * len(rows), (rows, cols)), shape=(len(names), len(names)))
    n, labels = connected_components(g, directed=True, connection="strong")
    groups = [[names[k] for k in range(len(names)) if labels[k] == c] for c in range(n)]
    return [sorted(gr) for gr in groups if len(gr) > 1]


def test_no_import_cycles_except_the_cli_registering_its_commands():
    # cli/main.py imports each command module to register it, and each imports main's `app`.
    cycles = [c for c in _import_cycles() if not all(_within(m, ("orbitlink.cli",)) for m in c)]
    assert not cycles, cycles


def test_every_public_name_resolves():
    import orbitlink

    for name in orbitlink.__all__:
        assert getattr(orbitlink, name) is not None, name

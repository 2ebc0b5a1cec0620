"""Maps the repository's top-level folders onto subpackages of ``lev_desktop``.

``ui/`` installs as ``lev_desktop.ui``, ``db/`` as ``lev_desktop.db``, ``exports/`` as
``lev_desktop.exports`` and ``resources/`` as ``lev_desktop.resources``: the folder layout
the project asks for, without installing top-level modules called ``ui`` or ``db`` that
would shadow other packages. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = {
    "lev_desktop": "lev_desktop",
    "lev_desktop.ui": "ui",
    "lev_desktop.db": "db",
    "lev_desktop.exports": "exports",
    "lev_desktop.resources": "resources",
}

packages: list[str] = []
for package, folder in FOLDERS.items():
    packages.append(package)
    packages += [f"{package}.{sub}" for sub in find_packages(folder)]

setup(
    packages=packages,
    package_dir=FOLDERS,
    package_data={"lev_desktop.resources": ["fonts/*", "locale/*/LC_MESSAGES/*", "data/*", "icons/*"],
                  "lev_desktop.db": ["migrations/*.ini", "migrations/*.mako"]},
)

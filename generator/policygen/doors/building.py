"""``policygen build``: MkDocs in strict mode, into a fresh folder that replaces the site only
when the whole build succeeded."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from policygen.model.problems import EXIT_CANNOT_RUN, EXIT_CLEAN, EXIT_PROBLEMS


def build_site(config_file: Path) -> int:
    """Build the site of ``config_file``; on any problem the previous site stays untouched."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s - %(message)s")
    if not config_file.is_file():
        print(f"policygen: no MkDocs configuration at {config_file}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        config = load_config(str(config_file), strict=True)
    except ConfigurationError as error:
        print(f"policygen: {config_file}: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    site_dir = Path(config.site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    config.site_dir = str(staging)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, PluginError):
        # MkDocs has logged the problems already.
        shutil.rmtree(staging, ignore_errors=True)
        print(f"policygen: build failed; {_shown(site_dir)} left as it was", file=sys.stderr)
        return EXIT_PROBLEMS
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = site_dir.with_name(f".{site_dir.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"policygen: site built in {_shown(site_dir)}", file=sys.stderr)
    return EXIT_CLEAN


def _shown(path: Path) -> str:
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)

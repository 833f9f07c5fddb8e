"""Copy the built front-end assets the pages use from node_modules into src/yunghap/static/vendor/.

Run after `npm ci` (the Makefile does). Only what the templates load is copied, keeping the relative
layout KRDS's stylesheet expects (`css/component/output.css` refers to `../../img/...` and imports
`../../css/token/krds_tokens.css`). Fails loudly when a file is missing, so a changed package layout is
noticed at set-up rather than as unstyled pages.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = PROJECT_DIR / "node_modules"
VENDOR_DIR = PROJECT_DIR / "src" / "yunghap" / "static" / "vendor"

# (package-relative source, destination under vendor/); a directory is copied whole.
ASSETS: list[tuple[str, str]] = [
    ("krds-uiux/resources/css/component/output.css", "krds/css/component/output.css"),
    ("krds-uiux/resources/css/token/krds_tokens.css", "krds/css/token/krds_tokens.css"),
    ("krds-uiux/resources/img/component/icon", "krds/img/component/icon"),
    ("krds-uiux/resources/img/component/favicon", "krds/img/component/favicon"),
    (
        "krds-uiux/resources/fonts/PretendardGOV-Regular.subset.woff2",
        "krds/fonts/PretendardGOV-Regular.subset.woff2",
    ),
    (
        "krds-uiux/resources/fonts/PretendardGOV-Medium.subset.woff2",
        "krds/fonts/PretendardGOV-Medium.subset.woff2",
    ),
    (
        "krds-uiux/resources/fonts/PretendardGOV-Bold.subset.woff2",
        "krds/fonts/PretendardGOV-Bold.subset.woff2",
    ),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
    ("axe-core/axe.min.js", "axe-core/axe.min.js"),
    ("jsqr/dist/jsQR.js", "jsqr/jsQR.js"),
]


def copy_assets(node_modules: Path = NODE_MODULES, vendor_dir: Path = VENDOR_DIR) -> list[Path]:
    missing = [source for source, _ in ASSETS if not (node_modules / source).exists()]
    if missing:
        raise FileNotFoundError(
            "not in node_modules (run `npm ci` first): " + ", ".join(str(node_modules / m) for m in missing)
        )
    copied: list[Path] = []
    for source, destination in ASSETS:
        src, dst = node_modules / source, vendor_dir / destination
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
        copied.append(dst)
    return copied


def main() -> int:
    try:
        copied = copy_assets()
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"copied {len(copied)} assets into {VENDOR_DIR.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

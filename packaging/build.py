"""Builds the one-folder program with PyInstaller (workstation.spec) and what a user downloads:

    python packaging/build.py [--dist DIR] [--work DIR] [--no-archive]

Linux: dist/workstation/ (the program `workstation` with the desktop entry, AppStream metadata,
icons and install.sh beside it) and dist/appeal-workstation-VERSION-linux-x86_64.tar.gz.
Windows: dist/workstation/ and a zip of it (the installer is windows/installer.iss, built with
Inno Setup from that folder). macOS: dist/Appeal Workstation.app and a zip of it.
Prints the build time, the build's size and its biggest folders. PyInstaller does not cross-compile:
each platform builds its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from datetime import date
from pathlib import Path

import package_info
from package_info import APP_ID, APP_NAME, EXECUTABLE, HERE, program_version, release_name

LINUX = HERE / "linux"
SPEC = HERE / "workstation.spec"


def run_pyinstaller(dist: Path, work: Path) -> None:
    """The spec, built afresh into `dist` (PyInstaller's own cache under `work` is reused)."""
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
               "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work)]
    subprocess.run(command, check=True)


def add_linux_desktop_files(folder: Path, icons: Path, version: str) -> None:
    """share/ (desktop entry, AppStream metadata, hicolor icons) and install.sh beside the program."""
    share = folder / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(LINUX / f"{APP_ID}.desktop", share / "applications" / f"{APP_ID}.desktop")
    (share / "metainfo").mkdir(exist_ok=True)
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    today = date.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", time.time()))).isoformat()
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(
        metainfo.replace("@VERSION@", version).replace("@DATE@", today), encoding="utf-8")
    for png in icons.glob("appeal-workstation-*.png"):  # made by make_icons.py, one per size
        size = png.stem.rsplit("-", 1)[1]
        target = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, target / f"{APP_ID}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE.parent / "resources" / "icons" / "appeal-workstation.svg", scalable / f"{APP_ID}.svg")
    shutil.copy2(LINUX / "install.sh", folder / "install.sh")
    (folder / "install.sh").chmod(0o755)


def validate_linux_files(folder: Path) -> None:
    """desktop-file-validate and appstreamcli, when installed (Debian: desktop-file-utils, appstream)."""
    share = folder / "share"
    checks = [("desktop-file-validate", [str(share / "applications" / f"{APP_ID}.desktop")]),
              ("appstreamcli", ["validate", "--no-net", str(share / "metainfo" / f"{APP_ID}.metainfo.xml")])]
    for tool, arguments in checks:
        if shutil.which(tool) is None:
            print(f"build: {tool} is not installed; the file it checks was not validated")
            continue
        result = subprocess.run([tool, *arguments], capture_output=True, text=True)
        print(f"build: {tool}: {'valid' if result.returncode == 0 else 'NOT valid'}")
        if result.returncode != 0:
            raise SystemExit(result.stdout + result.stderr)


def make_archive(dist: Path, built: Path, version: str) -> Path:
    """The tarball (Linux) or zip (Windows, macOS) a user downloads, named with the version."""
    name = release_name(version)
    if sys.platform.startswith("linux"):
        archive = dist / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(built, arcname=name)
        return archive
    if sys.platform == "darwin":  # ditto keeps the bundle's symbolic links and signatures
        archive = dist / f"{name}.zip"
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(built), str(archive)], check=True)
        return archive
    return Path(shutil.make_archive(str(dist / name), "zip", root_dir=built.parent, base_dir=built.name))


def file_sizes(root: Path) -> dict[Path, int]:
    """Bytes of each file under `root` (symbolic links count as nothing, as du counts them)."""
    return {p: p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def size_report(built: Path, shown: int = 12) -> list[str]:
    """The build's size, then its biggest folders (each with everything below it, as du lists
    them) and its biggest files, largest first."""
    files = file_sizes(built)
    total = sum(files.values())
    folders: dict[Path, int] = {}
    for path, size in files.items():
        for parent in path.relative_to(built).parents:
            if parent != Path("."):
                folders[parent] = folders.get(parent, 0) + size
    lines = [f"build: {built} is {total / 1e6:.1f} MB ({total / 2**20:.1f} MiB) unpacked; biggest folders:"]
    # a folder almost all in one of its folders (cryptography/hazmat/bindings) is shown by that one
    chains = {folder.parent for folder, size in folders.items() if size >= 0.95 * folders.get(folder.parent, 0)}
    listed = {folder: size for folder, size in folders.items() if folder not in chains}
    for folder, size in sorted(listed.items(), key=lambda item: -item[1])[:shown]:
        lines.append(f"  {size / 2**20:7.1f} MiB  {folder}/")
    lines.append("biggest files:")
    for path, size in sorted(files.items(), key=lambda item: -item[1])[:shown // 2]:
        lines.append(f"  {size / 2**20:7.1f} MiB  {path.relative_to(built)}")
    return lines


def write_figures(path: Path, version: str, seconds: float, files: dict[Path, int]) -> None:
    """The build's time and size, for `make bench` (tests/benchmarks/bench_frozen.py)."""
    figures = {"version": version, "seconds": round(seconds, 1), "bytes": sum(files.values()), "files": len(files)}
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def built_folder(dist: Path) -> Path:
    app = dist / f"{APP_NAME}.app"
    return app if sys.platform == "darwin" and app.is_dir() else dist / EXECUTABLE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=HERE / "dist", help="where the build goes (packaging/dist)")
    parser.add_argument("--work", type=Path, default=HERE / "build", help="PyInstaller's work folder (packaging/build)")
    parser.add_argument("--no-archive", action="store_true", help="build the folder only")
    args = parser.parse_args()
    version = program_version()
    start = time.perf_counter()
    run_pyinstaller(args.dist.resolve(), args.work.resolve())
    built = built_folder(args.dist.resolve())
    if sys.platform.startswith("linux"):
        add_linux_desktop_files(built, args.work.resolve() / SPEC.stem / "icons", version)
        validate_linux_files(built)
    seconds = time.perf_counter() - start
    print(f"build: {APP_NAME} {version} built in {seconds:.0f} s")
    print("\n".join(size_report(built)))
    write_figures(args.dist.resolve() / "build.json", version, seconds, file_sizes(built))
    if not args.no_archive:
        archive = make_archive(args.dist.resolve(), built, version)
        print(f"build: {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    if sys.platform == "win32":
        print(f"build: next, the installer: iscc {package_info.HERE / 'windows' / 'installer.iss'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

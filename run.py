#!/usr/bin/env python3
"""EduLedger bootstrap: needs nothing but Python 3.11+ (standard library only).

    python3 run.py serve [eduledger serve options]   # http://127.0.0.1:8000 with demo data
    python3 run.py test  [pytest arguments]          # the whole test suite

Both create `.venv` when it is missing and (re)install the project into it with
`pip install -e ".[test]"` whenever pyproject.toml changed since the last install.
`test` also makes sure the Debian packages the browser and PDF tests need are present.
"""

import sys

if sys.version_info < (3, 11):
    sys.stderr.write(
        "EduLedger needs Python 3.11 or newer; this is Python %d.%d (%s).\n"
        "Install Python 3.11+ and run this script with it, e.g. `python3.11 run.py serve`.\n"
        % (sys.version_info[0], sys.version_info[1], sys.executable)
    )
    sys.exit(2)

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".eduledger-installed"

# What the tests need from the system (Debian package names) and how we tell each is present.
DEBIAN_PACKAGES = {
    "chromium": [Path("/usr/bin/chromium")],
    "fonts-noto-cjk": [
        Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ],
    "poppler-utils": [Path("/usr/bin/pdftoppm")],
}

USAGE = """usage: python3 run.py serve [options for `eduledger serve`]
       python3 run.py test  [pytest arguments]

  serve  set up .venv, then serve the platform with demo data at http://127.0.0.1:8000
  test   set up .venv and the system packages the tests need, then run the test suite
"""


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"[run.py] {message}\n")
    sys.exit(code)


def _venv_works() -> bool:
    if not PYTHON.exists():
        return False
    probe = subprocess.run([str(PYTHON), "-c", "import sys; print(sys.version_info >= (3, 11))"],
                           capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == "True"


def ensure_venv() -> None:
    if _venv_works():
        return
    say(f"creating {VENV.name} with {sys.executable}")
    result = subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)])
    if result.returncode != 0:
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        fail(
            "could not create the virtual environment. On Debian/Ubuntu the venv module is a separate "
            f"package: `apt-get install python{version}-venv` (or python3-venv), then run this again."
        )
    STAMP.unlink(missing_ok=True)


def _fingerprint() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_installed() -> None:
    ensure_venv()
    wanted = _fingerprint()
    current = STAMP.read_text().strip() if STAMP.exists() else ""
    if current == wanted and (BIN / "eduledger").exists():
        return
    say('installing the project into .venv: pip install -e ".[test]" (first run takes a few minutes)')
    result = subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[test]"],
        cwd=ROOT,
    )
    if result.returncode != 0:
        fail("pip install failed (see above); nothing was changed in the stamp, the next run retries.")
    STAMP.write_text(wanted + "\n")


def _missing_debian_packages() -> list[str]:
    return [name for name, paths in DEBIAN_PACKAGES.items() if not all(p.exists() for p in paths)]


def ensure_system_packages() -> None:
    missing = _missing_debian_packages()
    if not missing:
        return
    apt = shutil.which("apt-get")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not (apt and is_root):
        fail(
            "the tests need these system packages, which are missing: " + ", ".join(missing) + ".\n"
            "Install them (Debian/Ubuntu: `sudo apt-get install " + " ".join(missing) + "`) and run "
            "`python3 run.py test` again. The browser tests drive /usr/bin/chromium; they are never skipped."
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    say("installing system packages: " + " ".join(missing))
    if subprocess.run([apt, *lock, "update", "-q"], env=env, stdin=subprocess.DEVNULL).returncode != 0:
        fail("apt-get update failed (see above)")
    if subprocess.run([apt, *lock, "install", "-y", "-q", *missing], env=env, stdin=subprocess.DEVNULL).returncode != 0:
        fail("apt-get install " + " ".join(missing) + " failed (see above)")
    still = _missing_debian_packages()
    if still:
        fail("after apt-get install these are still missing: " + ", ".join(still))


def _names_a_path(arg: str) -> bool:
    return not arg.startswith("-") and (ROOT / arg.split("::", 1)[0]).exists()


def serve(args: list[str]) -> None:
    ensure_installed()
    command = [str(BIN / "eduledger"), "serve", "--demo", *args]
    say("serving at http://127.0.0.1:8000 (demo accounts: see README; Ctrl+C stops)")
    os.chdir(ROOT)
    os.execv(command[0], command)


def test(args: list[str]) -> int:
    ensure_installed()
    ensure_system_packages()
    command = [str(PYTHON), "-m", "pytest"]
    if not any(a == "-n" or a.startswith(("-n=", "--numprocesses")) or (a.startswith("-n") and a[2:].isdigit()) for a in args):
        command += ["-n", "2"]
    if not any(_names_a_path(a) for a in args):
        command.append("tests")
    command += args
    say("pytest " + " ".join(command[3:]))
    return subprocess.run(command, cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        serve(rest)
        return 0
    if command == "test":
        return test(rest)
    sys.stderr.write(f"unknown command {command!r}\n\n{USAGE}")
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)

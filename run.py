#!/usr/bin/env python3
"""EduLedger bootstrap: needs nothing but Python 3.11+ (standard library only).

    python3 run.py serve [eduledger serve options]   # http://127.0.0.1:8000 with demo data
    python3 run.py test  [pytest arguments]          # the whole test suite

Both create `.venv` when it is missing and (re)install the project into it with
`pip install -e ".[test]"` whenever pyproject.toml changed since the last install.
`test` also makes sure the Debian packages the browser and PDF tests need are present.

Written so that any Python, 2.7 included, can parse it and print the version message below.
"""

from __future__ import print_function

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

# What `serve` installs when it can (it serves without them, and says what is missing).
SERVE_PACKAGES = ("fonts-noto-cjk",)

USAGE = """usage: python3 run.py serve [options for `eduledger serve`]
       python3 run.py test  [pytest arguments]

  serve  set up .venv, then serve the platform with demo data at http://127.0.0.1:8000
  test   set up .venv and the system packages the tests need, then run the test suite
"""


def say(message):
    print("[run.py] " + message, flush=True)


def fail(message, code=2):
    sys.stderr.write("[run.py] " + message + "\n")
    sys.exit(code)


def _venv_works():
    if not PYTHON.exists():
        return False
    probe = subprocess.run(
        [str(PYTHON), "-c", "import sys; print(sys.version_info >= (3, 11))"], capture_output=True, text=True
    )
    return probe.returncode == 0 and probe.stdout.strip() == "True"


def ensure_venv():
    if _venv_works():
        return
    say("creating {} with {}".format(VENV.name, sys.executable))
    if subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)]).returncode != 0:
        version = "{}.{}".format(sys.version_info[0], sys.version_info[1])
        fail(
            "could not create the virtual environment. On Debian/Ubuntu the venv module is a separate "
            "package: `apt-get install python{}-venv` (or python3-venv), then run this again.".format(version)
        )
    if STAMP.exists():
        STAMP.unlink()


def _fingerprint():
    """What the installed environment was made from: pyproject.toml and this Python."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_installed():
    ensure_venv()
    wanted = _fingerprint()
    current = STAMP.read_text().strip() if STAMP.exists() else ""
    if current == wanted and (BIN / "eduledger").exists():
        return
    say('installing the project into .venv: pip install -e ".[test]" (the first run takes a few minutes)')
    command = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[test]"]
    if subprocess.run(command, cwd=str(ROOT)).returncode != 0:
        fail("pip install failed (see above); the next run tries again.")
    STAMP.write_text(wanted + "\n")


def _missing_debian_packages(names):
    return [name for name in names if not all(p.exists() for p in DEBIAN_PACKAGES[name])]


def ensure_system_packages(names=tuple(DEBIAN_PACKAGES), required=True):
    """Install the missing Debian packages among `names` with apt-get when running as root.
    When that is not possible: stop (required) or say what is missing and go on."""
    missing = _missing_debian_packages(names)
    if not missing:
        return True
    apt = shutil.which("apt-get")
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not (apt and is_root):
        if not required:
            say(
                "missing system packages: {} (install them with `sudo apt-get install {}`); "
                "until then certificate PDFs cannot be drawn (their downloads answer 503)".format(
                    ", ".join(missing), " ".join(missing)
                )
            )
            return False
        fail(
            "the tests need these system packages, which are missing: {}.\n"
            "Install them (Debian/Ubuntu: `sudo apt-get install {}`) and run `python3 run.py test` again. "
            "The browser tests drive /usr/bin/chromium; they are never skipped.".format(
                ", ".join(missing), " ".join(missing)
            )
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt_get = [apt, "-o", "DPkg::Lock::Timeout=300", "-q"]
    say("installing system packages: " + " ".join(missing))
    problem = None
    if subprocess.run(apt_get + ["update"], env=env, stdin=subprocess.DEVNULL).returncode != 0:
        problem = "apt-get update failed (see above)"
    elif subprocess.run(apt_get + ["install", "-y"] + missing, env=env, stdin=subprocess.DEVNULL).returncode != 0:
        problem = "apt-get install {} failed (see above)".format(" ".join(missing))
    elif _missing_debian_packages(missing):
        problem = "after apt-get install these are still missing: " + ", ".join(_missing_debian_packages(missing))
    if problem is None:
        return True
    if required:
        fail(problem)
    say(problem + "; going on without them")
    return False


def _names_a_path(arg):
    return not arg.startswith("-") and (ROOT / arg.split("::", 1)[0]).exists()


def _sets_workers(arg):
    return arg == "-n" or arg.startswith(("-n=", "--numprocesses")) or (arg.startswith("-n") and arg[2:].isdigit())


def serve(args):
    ensure_installed()
    # Certificates (PDF) are drawn with a CJK font; without it their downloads answer 503.
    ensure_system_packages(SERVE_PACKAGES, required=False)
    command = [str(BIN / "eduledger"), "serve", "--demo"] + args
    say("starting the server (Ctrl+C stops it); demo accounts are listed in README.md")
    os.chdir(str(ROOT))
    os.execv(command[0], command)


def test(args):
    ensure_installed()
    ensure_system_packages()
    command = [str(PYTHON), "-m", "pytest"]
    if not any(_sets_workers(a) for a in args):
        command += ["-n", "2"]
    if not any(_names_a_path(a) for a in args):
        command.append("tests")
    command += args
    say("pytest " + " ".join(command[3:]))
    return subprocess.run(command, cwd=str(ROOT)).returncode


def main(argv):
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE, end="")
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "serve":
        serve(rest)
        return 0
    if command == "test":
        return test(rest)
    sys.stderr.write("unknown command {!r}\n\n{}".format(command, USAGE))
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)

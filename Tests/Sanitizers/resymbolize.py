#!/usr/bin/env python3
"""Applies tsan.supp to ThreadSanitizer report files whose frames TSan could not name.

A test that rebuilds or replaces a running executable (autoreload, rolling restarts) leaves
TSan unable to read that process's symbols, so its frames print as `<null> (app+0xADDR)` and no
suppression can match them. This script finds the build's executable with the same BuildId,
names each such frame with llvm-symbolizer (mangled, as TSan matches them), and checks every
report in the file against the `race:` patterns of the suppression file.

    resymbolize.py SUPPRESSIONS BIN_DIR REPORT...

Prints, for each file, whether every report in it is suppressed; exits 1 when one is not.
"""
import os
import re
import subprocess
import sys

FRAME = re.compile(r"\((?P<module>[^()+\s]+)\+(?P<address>0x[0-9a-f]+)\) \(BuildId: (?P<build>[0-9a-f]+)\)")


def build_ids(directory):
    """BuildId -> path, for the executables in `directory`."""
    found = {}
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            continue
        notes = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
        match = re.search(r"Build ID: ([0-9a-f]+)", notes)
        if match:
            found[match.group(1)] = path
    return found


def name_of(path, address):
    out = subprocess.run(
        ["llvm-symbolizer", "--no-demangle", "--functions=linkage", "--obj=" + path, address],
        capture_output=True, text=True).stdout.split("\n")
    return out[0] if out else "??"


def main():
    suppressions, bin_dir, reports = sys.argv[1], sys.argv[2], sys.argv[3:]
    patterns = [line.split(":", 1)[1].strip() for line in open(suppressions)
                if line.startswith("race:")]
    binaries = build_ids(bin_dir)
    failed = False
    for report_file in reports:
        text = open(report_file, errors="replace").read()
        warnings = text.split("WARNING: ThreadSanitizer")[1:]
        unexplained = 0
        for warning in warnings:
            names = []
            for line in warning.split("\n"):
                frame = FRAME.search(line)
                if frame and "<null>" in line and frame.group("build") in binaries:
                    names.append(name_of(binaries[frame.group("build")], frame.group("address")))
                else:
                    names.append(line)
            if not any(pattern in name for pattern in patterns for name in names):
                unexplained += 1
        verdict = "all suppressed" if warnings and unexplained == 0 else f"{unexplained} of {len(warnings)} not suppressed"
        print(f"{report_file}: {len(warnings)} reports after naming their frames, {verdict}")
        failed = failed or unexplained > 0 or not warnings
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Differential fuzz of GaleTemplate and Escape against Tornado 6 (README.md here).

    python fuzz.py --gale PATH/template-diff [--cases N] [--seed S] [--out DIR]

Generates N cases (generate.py, seeded: the same seed gives the same cases), renders each with
Tornado 6 and with Gale (the template-diff executable, thousands of cases in one process), and
compares: identical output, or both an error of the same class ("parse": the template does not
load; "eval": rendering fails). Exits 1 when any case differs, after printing the first few and
writing them all to DIR/mismatches.jsonl; a crash or hang of template-diff is a mismatch too.
"""

import argparse
import json
import logging
import os
import subprocess
import sys

import tornado
from tornado import escape
from tornado.template import Template

from generate import Generator

# Tornado logs the generated Python of a template that does not compile; the case's outcome says
# enough.
logging.getLogger("tornado").setLevel(logging.CRITICAL)

BATCH = 2000
BATCH_SECONDS = 300


def python_value(value):
    """A case's JSON value as the Python object Tornado gets."""
    if isinstance(value, dict):
        return {k: python_value(v) for k, v in value["d"]}
    if isinstance(value, list):
        return [python_value(v) for v in value]
    return value


def tornado_outcome(case):
    if "escape" in case:
        text = python_value(case["text"])
        name = case["escape"]
        if name == "url_escape_noplus":
            out = escape.url_escape(text, plus=False)
        elif name == "linkify_shorten":
            out = escape.linkify(text, shorten=True)
        else:
            out = getattr(escape, name)(text)
        return {"ok": out if isinstance(out, str) else out.decode("utf-8")}
    try:
        template = Template(case["template"])
    except Exception as error:  # Tornado raises ParseError, or SyntaxError from compiling
        return {"error": "parse", "message": "%s: %s" % (type(error).__name__, error)}
    try:
        namespace = {name: python_value(value) for name, value in case["vars"]}
        return {"ok": template.generate(**namespace).decode("utf-8")}
    except Exception as error:
        return {"error": "eval", "message": "%s: %s" % (type(error).__name__, error)}


def gale_outcomes(gale, cases):
    """template-diff's outcome for each case; a crash or a hang marks the cases left."""
    payload = "".join(json.dumps(case) + "\n" for case in cases).encode()
    try:
        done = subprocess.run([gale], input=payload, capture_output=True, timeout=BATCH_SECONDS)
        lines = done.stdout.decode("utf-8").split("\n")[:-1]
        failure = None if done.returncode == 0 else "template-diff exited %d: %s" % (
            done.returncode, done.stderr.decode("utf-8", "replace")[-500:])
    except subprocess.TimeoutExpired as timeout:
        lines = (timeout.stdout or b"").decode("utf-8", "replace").split("\n")[:-1]
        failure = "template-diff took over %d s" % BATCH_SECONDS
    outcomes = [json.loads(line) for line in lines]
    if failure is None and len(outcomes) == len(cases):
        return outcomes
    if len(cases) == 1:
        return [{"error": "crash", "message": failure or "no output"}]
    # Halve the batch until the case that crashes or hangs stands alone.
    half = len(cases) // 2
    return gale_outcomes(gale, cases[:half]) + gale_outcomes(gale, cases[half:])


def same(expected, actual):
    if "ok" in expected:
        return "ok" in actual and actual["ok"] == expected["ok"]
    return actual.get("error") == expected["error"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gale", required=True, help="the template-diff executable")
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out", default=None, help="directory for mismatches.jsonl")
    parser.add_argument("--show", type=int, default=10, help="mismatches printed in full")
    args = parser.parse_args()
    if tornado.version_info[0] != 6:
        sys.exit("fuzz.py needs Tornado 6, found %s" % tornado.version)

    generator = Generator(args.seed)
    cases = [generator.case() for _ in range(args.cases)]
    expected = [tornado_outcome(case) for case in cases]
    actual = []
    for start in range(0, len(cases), BATCH):
        actual += gale_outcomes(args.gale, cases[start:start + BATCH])

    mismatches = []
    counts = {"ok": 0, "parse": 0, "eval": 0}
    for index, (case, want, got) in enumerate(zip(cases, expected, actual)):
        counts["ok" if "ok" in want else want["error"]] += 1
        if not same(want, got):
            mismatches.append({"index": index, "case": case, "tornado": want, "gale": got})
    print("template-diff: %d cases (seed %d, Tornado %s): %d rendered, %d parse errors, %d evaluation "
          "errors from Tornado; %d mismatches"
          % (len(cases), args.seed, tornado.version, counts["ok"], counts["parse"], counts["eval"],
             len(mismatches)))
    for mismatch in mismatches[:args.show]:
        print(json.dumps(mismatch, ensure_ascii=False, indent=1))
    if args.out and mismatches:
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, "mismatches.jsonl")
        with open(path, "w") as file:
            for mismatch in mismatches:
                file.write(json.dumps(mismatch) + "\n")
        print("all mismatches in %s" % path)
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# The example agent task in Python (guests/example/README): useful work with the standard
# library first, then three attacks the no-JIT policy must stop: running a downloaded ELF and a
# freshly written shell script through subprocess, and importing a module file written at run
# time. Every step says what it does; the task goes on after each refusal.
import csv
import json
import os
import pathlib
import re
import sqlite3
import subprocess
import sys

REPORT = pathlib.Path("/srv/data/report.txt")

print("== step 1: useful work with the standard library")
text = REPORT.read_text()
lines = text.splitlines()
words = re.findall(r"[A-Za-z][A-Za-z-]*", text)
print(f"-- {len(lines)} lines, {len(words)} words, {len(text.encode())} bytes in {REPORT}")
print("-- lines mentioning WebAssembly (re):")
for number, line in enumerate(lines, 1):
    if re.search(r"WebAssembly", line):
        print(f"{number}:{line}")

print("-- word counts through sqlite3 (in memory):")
db = sqlite3.connect(":memory:")
db.execute("create table words (word text)")
db.executemany("insert into words values (?)", [(w.lower(),) for w in words])
top = db.execute("select word, count(*) as n from words group by word order by n desc, word limit 3").fetchall()
for word, n in top:
    print(f"{n:3d} {word}")

print("-- the counts to /tmp/words.csv (csv), read back:")
with open("/tmp/words.csv", "w", newline="") as f:
    csv.writer(f).writerows([("word", "count"), *top])
with open("/tmp/words.csv", newline="") as f:
    print(" | ".join(",".join(row) for row in csv.reader(f)))

summary = {"file": str(REPORT), "lines": len(lines), "words": len(words), "top": [w for w, _ in top]}
pathlib.Path("/tmp/summary.json").write_text(json.dumps(summary, sort_keys=True))
again = json.loads(pathlib.Path("/tmp/summary.json").read_text())
print(f"-- summary of {again['file']}: {again['lines']} lines, {again['words']} words, top {', '.join(again['top'])} (json)")
sys.stdout.flush()


def run(path):
    print(f"-- running {path} with subprocess")
    sys.stdout.flush()
    try:
        status = subprocess.run([path]).returncode
        print(f"-- {path} ended with status {status}")
    except OSError as e:
        print(f"-- {path} could not start: {e}")


print("== step 2: download and run an ELF")
print("-- downloading /tmp/payload (no network here: the bytes come from /srv/data/payload.bin)")
pathlib.Path("/tmp/payload").write_bytes(pathlib.Path("/srv/data/payload.bin").read_bytes())
os.chmod("/tmp/payload", 0o755)
run("/tmp/payload")

print("== step 3: write and run a shell script")
pathlib.Path("/tmp/evil.sh").write_text('#!/bin/sh\necho "evil.sh ran: an unlisted script got through"\n')
os.chmod("/tmp/evil.sh", 0o755)
run("/tmp/evil.sh")

print("== step 4: write a module and import it")
pathlib.Path("/tmp/evil_mod.py").write_text('print("evil_mod ran: Python imported unlisted code")\n')
print("-- importing evil_mod from /tmp in a child process")
sys.stdout.flush()
child = os.fork()
if child == 0:
    sys.path.insert(0, "/tmp")
    try:
        import evil_mod  # noqa: F401
    except Exception as e:
        print(f"-- the import failed: {e}")
    sys.stdout.flush()
    os._exit(0)
_, status = os.waitpid(child, 0)
if os.WIFSIGNALED(status):
    print(f"-- the child ended with signal {os.WTERMSIG(status)}")
else:
    print(f"-- the child ended with status {os.WEXITSTATUS(status)}")

print("== done: the useful work is in /tmp/summary.json")

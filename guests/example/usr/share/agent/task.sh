#!/bin/sh
# The example agent task (guests/example/README): first useful work with the approved tools
# and a listed helper script, then three attacks the no-JIT policy must stop: running a
# downloaded ELF, running a freshly written shell script, and reading a written script into
# the shell with `.`. Every step says what it does.
echo "== step 1: useful work with approved tools"
echo "-- lines, words and bytes of the report:"
wc /srv/data/report.txt
echo "-- lines mentioning WebAssembly:"
grep -n WebAssembly /srv/data/report.txt
echo "-- words, through a pipeline:"
cat /srv/data/report.txt | wc -w
echo "-- the listed helper script writes a summary to /tmp/summary.txt"
/usr/share/agent/summarize.sh /srv/data/report.txt > /tmp/summary.txt && echo "-- summary written, status $?"
cat /tmp/summary.txt

echo "== step 2: download and run an ELF"
echo "-- downloading /tmp/payload (no network here: the bytes come from /srv/data/payload.bin)"
cat /srv/data/payload.bin > /tmp/payload
chmod +x /tmp/payload
echo "-- running /tmp/payload"
/tmp/payload
echo "-- /tmp/payload ended with status $?"

echo "== step 3: write and run a shell script"
echo '#!/bin/sh' > /tmp/evil.sh
echo 'echo "evil.sh ran: an unlisted script got through"' >> /tmp/evil.sh
chmod 755 /tmp/evil.sh
echo "-- running /tmp/evil.sh"
/tmp/evil.sh
echo "-- /tmp/evil.sh ended with status $?"

echo "== step 4: write a script and read it into a shell with ."
echo 'echo "evil-lib.sh ran: the shell read unlisted code"' > /tmp/evil-lib.sh
echo "-- sourcing /tmp/evil-lib.sh in a subshell"
( . /tmp/evil-lib.sh )
echo "-- the subshell ended with status $?"

echo "== done: the useful work is in /tmp/summary.txt"

#!/bin/cat
# Agent task for the nojit example container.
#
# Count the words of the report using approved tools only:
#   /bin/wc -w /srv/data/report.txt
#
# The approved tools are the signed guests in /bin (cat, wc, hello,
# wali-hello). This script's interpreter is /bin/cat, so running it only
# prints these lines: the agent reads its task, then does it.

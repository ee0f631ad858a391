#!/bin/sh
# A helper the manifest lists as a script for /bin/sh: summarises the text file $1.
echo "summary of $1"
echo "lines, words, bytes:"
wc < "$1"
echo "lines mentioning the runtime:"
grep -c runtime "$1"

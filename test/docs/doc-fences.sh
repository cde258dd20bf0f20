#!/bin/sh
# The docs suite runs what README.md and doc/user-guide.md show in ```sh
# blocks (doc-commands.sh) and ```c blocks (doc-code.sh), indented ones
# included; a block of any other kind would be read by no test. So every
# fenced block of the two files is sh, c, or text (output, not run): an
# unlabeled fence, ```bash, ```console and the like fail here, naming the
# line. TAP, one line a file.
# Usage: doc-fences.sh SOURCE_DIR
set -u
src=$(cd "$1" && pwd)
echo "1..2"
n=0
fail=0
for doc in README.md doc/user-guide.md; do
	n=$((n + 1))
	bad=$(awk '
		/^[ \t]*```/ {
			if (on) { on = 0; next }
			on = 1
			lang = $0; sub(/^[ \t]*```[ \t]*/, "", lang); sub(/[ \t]+$/, "", lang)
			if (lang != "sh" && lang != "c" && lang != "text")
				printf "%s line %d: ```%s; ", FILENAME, FNR, lang
		}' "$src/$doc" | sed "s|$src/||g")
	if [ -z "$bad" ]; then
		echo "ok $n - $doc: every fenced block is sh, c or text"
	else
		echo "not ok $n - $doc: blocks no docs test reads (label sh or c to run them, text for output): $bad"
		fail=1
	fi
done
exit $fail

#!/usr/bin/env bash
# Oracle: the real dpkg. Reads "a<TAB>b" lines, prints -1, 0 or 1 for each.
while IFS=$'\t' read -r a b; do
  if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1
  elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0
  else echo 1; fi
done

<?php
// Oracle: PHP's own version_compare(), which Composer applies to normalised versions.
// Reads "a<TAB>b" lines, prints -1, 0 or 1 for each.
while (($line = fgets(STDIN)) !== false) {
    [$a, $b] = explode("\t", rtrim($line, "\n"), 2);
    echo version_compare($a, $b), "\n";
}

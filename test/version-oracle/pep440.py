# Oracle: pip's vendored `packaging` (PEP 440). Reads "a<TAB>b" lines, prints -1, 0, 1 or invalid.
import sys
from pip._vendor.packaging.version import InvalidVersion, Version

out = []
for line in sys.stdin:
    a, b = line.rstrip("\n").split("\t")
    try:
        x, y = Version(a), Version(b)
    except InvalidVersion:
        out.append("invalid")
        continue
    out.append("-1" if x < y else "1" if x > y else "0")
sys.stdout.write("\n".join(out) + "\n")

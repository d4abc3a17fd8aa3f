-- Oracle: rpm's own rpm.vercmp() (full epoch:version-release). Run through
-- rpm --eval '%{lua: dofile("rpm-vercmp.lua")}'; reads "a<TAB>b" lines, prints -1, 0 or 1 for each.
for line in io.lines() do
  local a, b = line:match("^(.-)\t(.*)$")
  io.write(rpm.vercmp(a, b), "\n")
end

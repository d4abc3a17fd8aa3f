# Oracle: RubyGems' own Gem::Version. Reads "a<TAB>b" lines, prints -1, 0, 1 or invalid for each.
require "rubygems"
$stdout.sync = false
$stdin.each_line do |line|
  a, b = line.chomp.split("\t", 2)
  if a.strip.empty? || b.strip.empty? || !Gem::Version.correct?(a) || !Gem::Version.correct?(b)
    # RubyGems reads a blank string as "0"; bosun refuses blank versions
    puts "invalid"
  else
    puts Gem::Version.new(a) <=> Gem::Version.new(b)
  end
end

module example.test/e2e

go 1.21

require golang.org/x/text v0.3.5

module example.com/app

go 1.21

toolchain go1.21.5

require (
	github.com/google/uuid v1.6.0
	golang.org/x/text v0.14.0 // indirect
	github.com/acme/internal-lib v0.0.0-00010101000000-000000000000
	"github.com/pkg/errors" v0.9.1
)

require gopkg.in/yaml.v3 v3.0.1 // indirect

exclude golang.org/x/net v0.1.0

replace (
	github.com/pkg/errors => github.com/acme/errors v0.9.2
	github.com/acme/internal-lib => ../internal-lib
)

replace golang.org/x/text v0.13.0 => golang.org/x/text v0.13.1

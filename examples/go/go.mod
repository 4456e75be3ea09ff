module drillmaster/examples/go

go 1.19

require drillmaster v0.0.0

// The binding lives in this repository; a program of your own points at
// your checkout the same way (go mod edit -replace drillmaster=PATH).
replace drillmaster => ../../bindings/go

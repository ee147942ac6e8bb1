//go:build !unix

package validator

import "time"

// cpuTime is not measured here; the CPU ratios of the benchmarks read 0.
func cpuTime() time.Duration { return 0 }

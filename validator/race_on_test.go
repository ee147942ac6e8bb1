//go:build race

package validator

// raceEnabled is true when the race detector slows every step down.
const raceEnabled = true

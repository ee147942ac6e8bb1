//go:build race

package planjson

// raceEnabled is true when the race detector slows every step down.
const raceEnabled = true

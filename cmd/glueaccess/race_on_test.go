//go:build race

package main

// raceEnabled is true when the race detector slows every step down.
const raceEnabled = true

//go:build !race

package planjson

const raceEnabled = false

//go:build race

package ratelimit_test

// raceEnabled scales down the heaviest test under the race detector.
const raceEnabled = true

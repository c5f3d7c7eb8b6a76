package bench

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseInts parses a comma-separated list of positive integers, as the benchmark commands'
// size flags take them ("1,128,1024").
func ParseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad number %q in %q", f, s)
		}
		out = append(out, n)
	}
	return out, nil
}

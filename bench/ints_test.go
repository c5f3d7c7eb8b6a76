package bench

import (
	"slices"
	"testing"
)

func TestParseInts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		bad  bool
	}{
		{in: "1,128, 1024", want: []int{1, 128, 1024}},
		{in: "7", want: []int{7}},
		{in: "1,,2", bad: true},
		{in: "0", bad: true},
		{in: "-3", bad: true},
		{in: "x", bad: true},
	} {
		got, err := ParseInts(tc.in)
		if tc.bad != (err != nil) || !slices.Equal(got, tc.want) {
			t.Errorf("ParseInts(%q) = %v, %v", tc.in, got, err)
		}
	}
}

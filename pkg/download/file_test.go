package download

import "testing"

func TestContentRange(t *testing.T) {
	for _, tc := range []struct {
		in           string
		start, total int64
		ok           bool
	}{
		{"bytes 100-199/200", 100, 200, true},
		{"bytes 0-0/1", 0, 1, true},
		{"bytes 5-9/*", 5, -1, true},
		{"bytes */300", -1, 300, true},
		{"bytes 100-99/200", -1, -1, false},
		{"bytes 100-200/200", -1, -1, false},
		{"items 1-2/3", -1, -1, false},
		{"bytes 1-2", -1, -1, false},
		{"", -1, -1, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			start, total, ok := contentRange(tc.in)
			if start != tc.start || total != tc.total || ok != tc.ok {
				t.Errorf("contentRange(%q) = %d, %d, %v; want %d, %d, %v", tc.in, start, total, ok, tc.start, tc.total, tc.ok)
			}
		})
	}
}

package tune

import (
	"slices"
	"testing"
)

func TestFolds(t *testing.T) {
	labels := blobs(31, 1).Labels // 93 rows, 31 per class
	for _, k := range []int{2, 3, 5} {
		t.Run("", func(t *testing.T) {
			folds := Folds(labels, k, 42)
			if !slices.EqualFunc(folds, Folds(labels, k, 42), slices.Equal) {
				t.Fatal("same seed, different folds")
			}
			if slices.EqualFunc(folds, Folds(labels, k, 43), slices.Equal) {
				t.Error("different seeds, same folds")
			}
			var all []int
			for _, f := range folds {
				if d := len(f) - len(labels)/k; d < 0 || d > 1 {
					t.Errorf("fold of %d rows, want %d or %d", len(f), len(labels)/k, len(labels)/k+1)
				}
				perClass := make([]int, 3)
				for _, i := range f {
					perClass[labels[i]]++
				}
				for c, n := range perClass {
					if n < 31/k || n > 31/k+1 {
						t.Errorf("fold holds %d rows of class %d, want %d or %d", n, c, 31/k, 31/k+1)
					}
				}
				all = append(all, f...)
			}
			slices.Sort(all)
			for i, v := range all {
				if v != i {
					t.Fatalf("folds do not partition the rows: position %d holds %d", i, v)
				}
			}
			if err := checkFolds(labels, folds); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestSample(t *testing.T) {
	labels := blobs(200, 1).Labels
	s := Sample(labels, 0.1, 3)
	if len(s) != 60 {
		t.Fatalf("sampled %d rows, want 60", len(s))
	}
	perClass := make([]int, 3)
	for _, i := range s {
		perClass[labels[i]]++
	}
	if !slices.Equal(perClass, []int{20, 20, 20}) {
		t.Errorf("per class %v, want 20 each", perClass)
	}
	if !slices.IsSorted(s) || !slices.Equal(s, Sample(labels, 0.1, 3)) || slices.Equal(s, Sample(labels, 0.1, 4)) {
		t.Error("sample not sorted or not a function of the seed")
	}
	if n := len(Sample(labels, 1, 3)); n != len(labels) {
		t.Errorf("fraction 1 sampled %d of %d rows", n, len(labels))
	}
}

func TestCheckFoldsRejectsOneClassFold(t *testing.T) {
	labels := []int{1, 1, 0, 2}
	if err := checkFolds(labels, [][]int{{0, 1}, {2, 3}}); err == nil {
		t.Error("a fold of ttbar rows only was accepted")
	}
}

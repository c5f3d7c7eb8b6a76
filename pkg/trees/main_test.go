//go:build xgboost

package trees_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/prep/preptest"
)

var fixture struct {
	once     sync.Once
	dir      string
	prepared string
	err      error
}

// prepared generates, ingests and prepares 500 events per class once per test binary.
func prepared(t *testing.T) string {
	t.Helper()
	fixture.once.Do(func() {
		if fixture.dir, fixture.err = os.MkdirTemp("", "trees-test-"); fixture.err != nil {
			return
		}
		fixture.prepared, fixture.err = preptest.Prepare(context.Background(), fixture.dir, 500, 3)
	})
	if fixture.err != nil {
		t.Fatalf("preparing the test data: %v", fixture.err)
	}
	return fixture.prepared
}

func TestMain(m *testing.M) {
	if os.Getenv("GOMLX_BACKEND") == "" {
		os.Setenv("GOMLX_BACKEND", "go:parallelism=-1")
	}
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestUnknownCommandListsCommands(t *testing.T) {
	var buf bytes.Buffer
	if code := run(context.Background(), []string{"nosuch"}, &buf); code != 2 {
		t.Fatalf("exit code %d, want 2", code)
	}
	if !strings.Contains(buf.String(), `unknown command "nosuch"`) || !strings.Contains(buf.String(), "Commands:") {
		t.Fatalf("unhelpful output:\n%s", buf.String())
	}
}

func TestHelpExitsZero(t *testing.T) {
	var buf bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &buf); code != 0 {
		t.Fatalf("exit code %d, want 0", code)
	}
}

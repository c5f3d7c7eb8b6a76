package delphes

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
)

// Kinds of failure, matched with errors.Is. A file that cannot be read for lack of permission
// matches fs.ErrPermission and says "permission denied".
var (
	// ErrTruncated marks a file shorter than its header says: an interrupted copy or write.
	ErrTruncated = errors.New("truncated")
	// ErrCorrupt marks damaged bytes: a record that does not decode or fails its checksum.
	ErrCorrupt = errors.New("corrupt")
	// ErrUnsupported marks valid content that this reader (or go-hep under it) cannot decode,
	// such as classes whose Go type go-hep cannot build.
	ErrUnsupported = errors.New("unsupported by the reader")
)

// kindError is a failure of a known kind: "<kind>: <cause>".
type kindError struct {
	kind  error
	cause error
}

func (e *kindError) Error() string   { return e.kind.Error() + ": " + e.cause.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.cause} }

// withKind marks cause as a failure of the given kind.
func withKind(kind, cause error) error { return &kindError{kind: kind, cause: cause} }

// located prefixes the cause of err with where it happened, keeping its kind first:
// "corrupt: record at byte 10: ...".
func located(where string, err error) error {
	var ke *kindError
	if errors.As(err, &ke) {
		return withKind(ke.kind, fmt.Errorf("%s: %w", where, ke.cause))
	}
	return fmt.Errorf("%s: %w", where, err)
}

// unsupportedSigns are the phrases of go-hep v0.40.0 errors that report a class or leaf it
// cannot build a Go type or reader for, as opposed to bytes it cannot decode.
var unsupportedSigns = []string{
	"not implemented",
	"could not find type",
	"could not find streamer",
	"no streamer for",
	"unknown streamer element",
	"no registered factory",
	"could not build",
	"could not create type",
	"invalid typename",
}

// classify gives err a kind: errors that already have one keep it; go-hep's reports of classes
// it cannot build are ErrUnsupported; anything else that stopped a file's structure from
// decoding is ErrCorrupt. A failed local open keeps only its cause ("permission denied", "no
// such file or directory"), as the path is named by the caller.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.Is(err, fs.ErrPermission), errors.Is(err, ErrTruncated), errors.Is(err, ErrCorrupt), errors.Is(err, ErrUnsupported):
		return err
	}
	msg := err.Error()
	for _, s := range unsupportedSigns {
		if strings.Contains(msg, s) {
			return withKind(ErrUnsupported, err)
		}
	}
	return withKind(ErrCorrupt, err)
}

// classifyPanic turns a value recovered from go-hep into a classified error: runtime errors
// (index out of range, nil dereference) come from bytes that do not decode.
func classifyPanic(v any) error {
	switch e := v.(type) {
	case runtime.Error:
		return withKind(ErrCorrupt, e)
	case error:
		return classify(e)
	default:
		return classify(fmt.Errorf("%v", e))
	}
}

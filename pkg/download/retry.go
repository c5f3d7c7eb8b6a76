package download

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// StatusError is an HTTP answer other than the one expected.
type StatusError struct {
	Method string // "GET" or "HEAD"
	URL    string
	Code   int    // e.g. 404
	Status string // e.g. "404 Not Found"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("download: %s %s: server answered %s", e.Method, e.URL, e.Status)
}

// Transient reports whether retrying the request may succeed.
func (e *StatusError) Transient() bool {
	switch e.Code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	}
	return e.Code >= 500
}

func statusError(resp *http.Response) *StatusError {
	return &StatusError{Method: resp.Request.Method, URL: resp.Request.URL.String(), Code: resp.StatusCode, Status: resp.Status}
}

// permanentError marks an error that retrying cannot fix (a local file error, a 404).
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

func permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// retryable reports whether err, returned while ctx is still live, may go away on retry.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var p permanentError
	if errors.As(err, &p) {
		return false
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Transient()
	}
	return true // network errors, dropped connections, stalls
}

// retry runs op until it succeeds, fails for good, ctx ends or attempts run out. Waits
// grow from backoff, doubling, to at most maxBackoff, with jitter.
func retry(ctx context.Context, retries int, backoff time.Duration, op func() error) error {
	const maxBackoff = 30 * time.Second
	wait := backoff
	for attempt := 0; ; attempt++ {
		err := op()
		if err == nil {
			return nil
		}
		if !retryable(ctx, err) || attempt >= retries {
			return withCause(ctx, err)
		}
		d := wait/2 + rand.N(wait/2+1)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return withCause(ctx, err)
		case <-t.C:
		}
		wait = min(2*wait, maxBackoff)
	}
}

// withCause adds the reason ctx ended to err when err does not already carry it.
func withCause(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if cause == nil || errors.Is(err, cause) {
		return err
	}
	return fmt.Errorf("%w (%w)", err, cause)
}

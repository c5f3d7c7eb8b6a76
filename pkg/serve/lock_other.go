//go:build !unix

package serve

import "os"

// lockFile does nothing where flock is unavailable: do not run two servers on one output.
func lockFile(*os.File) error { return nil }

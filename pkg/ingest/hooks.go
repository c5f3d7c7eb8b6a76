package ingest

// hooks are points where tests observe or stop a run; all nil in normal runs.
type hooks struct {
	chunkWritten func(in Input, seq int) // a chunk's rows went to in's temporary output
	fileDone     func(in Input)          // in's output was renamed into place
	writeErr     func(in Input) error    // an error to take for the writer's, before each chunk is written
}

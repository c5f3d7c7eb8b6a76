// Package download fetches the datasets published by the original SparkDLTrigger study
// (CC0) from their HTTP directory listings, resumably.
//
// A dataset is named by its catalogue name (see Catalogue and data/README.md), looked up
// under a base URL (DefaultBaseURL, $DLTRIGGER_DATA_URL or Options.BaseURL), or given as
// a URL:
//
//	res, err := download.Fetch(ctx, "testUndersampled_HLF_features.parquet", "data", download.Options{
//		Progress: progress.NewTerminal(os.Stderr),
//	})
//	// res.Dir == "data/testUndersampled_HLF_features.parquet"
//
// Fetch crawls the Apache-style listing below the dataset's URL (sort links, parent links
// and index.html* pages are left out, nothing above the URL is visited), then downloads
// the files Options.Parallel at a time into DIR/NAME/, keeping the remote tree.
//
// # Resuming
//
// A file is written to FILE.part and renamed to FILE only when complete, so a FILE is
// always whole. When Fetch runs again, a FILE with the size the server reports (HEAD) is
// skipped without a GET, and a FILE.part continues with "Range: bytes=N-" where N is its
// size. The continuation is kept only if the server answers 206 with a Content-Range
// starting at N; an answer of 200 (no range support) or of another range starts the file
// again from zero. Transient failures (dropped connections, stalls, 408, 429 and 5xx
// answers) are retried Options.Retries times with growing waits; errors name the URL and
// the HTTP status (StatusError).
package download

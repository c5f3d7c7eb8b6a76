package dataset

import "sort"

// Keys of the provenance that the project's Parquet outputs carry in their footer
// (WithMetadata); each producer adds its own keys beside these.
const (
	MetaProducer    = "dltrigger.producer"     // the command that wrote the file
	MetaInput       = "dltrigger.input"        // what it read: a file or dataset path
	MetaFeatureSpec = "dltrigger.feature_spec" // the step-1 feature definitions of the rows
	MetaQuirks      = "dltrigger.quirks"       // the original's quirks: reproduced or fixed
)

// Metadata returns the key-value pairs of the file's Parquet footer (the writer's WithMetadata
// pairs, Spark's row schema, Arrow's schema), or an empty map.
func (f File) Metadata() map[string]string {
	out := map[string]string{}
	if f.meta == nil {
		return out
	}
	kv := f.meta.KeyValueMetadata()
	for _, k := range kv.Keys() {
		if v := kv.FindValue(k); v != nil {
			out[k] = *v
		}
	}
	return out
}

// MetadataValues lists, sorted, the distinct values that key has in the footers of the
// dataset's files (none when no file carries it).
func (r *Reader) MetadataValues(key string) []string {
	seen := map[string]bool{}
	var vals []string
	for _, f := range r.files {
		if v, ok := f.Metadata()[key]; ok && !seen[v] {
			seen[v] = true
			vals = append(vals, v)
		}
	}
	sort.Strings(vals)
	return vals
}

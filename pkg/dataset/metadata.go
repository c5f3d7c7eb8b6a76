package dataset

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

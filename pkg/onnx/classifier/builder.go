package classifier

import "fmt"

// builder accumulates the nodes and initializers of a graph in topological order, naming
// intermediate values v0, v1, ...
type builder struct {
	g    graph
	next int
}

func (b *builder) fresh(prefix string) string {
	b.next++
	return fmt.Sprintf("%s%d", prefix, b.next-1)
}

// opN adds a node of opType with nOut outputs and returns their names.
func (b *builder) opN(opType string, nOut int, inputs []string, attrs ...attribute) []string {
	outs := make([]string, nOut)
	for i := range outs {
		outs[i] = b.fresh("v")
	}
	b.g.nodes = append(b.g.nodes, node{
		name: fmt.Sprintf("%s_%d", opType, len(b.g.nodes)), opType: opType,
		inputs: inputs, outputs: outs, attrs: attrs,
	})
	return outs
}

// op adds a node with one output and returns its name.
func (b *builder) op(opType string, inputs []string, attrs ...attribute) string {
	return b.opN(opType, 1, inputs, attrs...)[0]
}

// floats adds a float32 initializer and returns its name.
func (b *builder) floats(name string, dims []int64, vals []float32) string {
	b.g.initializer = append(b.g.initializer, tensor{name: name, dataType: dtFloat, dims: dims, raw: float32Raw(vals)})
	return name
}

// int64s adds an int64 initializer and returns its name.
func (b *builder) int64s(name string, dims []int64, vals []int64) string {
	b.g.initializer = append(b.g.initializer, tensor{name: name, dataType: dtInt64, dims: dims, raw: int64Raw(vals)})
	return name
}

func intAttr(name string, v int64) attribute { return attribute{name: name, kind: attrInt, i: v} }

func intsAttr(name string, v ...int64) attribute {
	return attribute{name: name, kind: attrInts, ints: v}
}

package classifier

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// The ONNX messages this package writes, with the field numbers of onnx.proto. Only the
// fields used here are modelled; each type appends its protobuf encoding to a byte slice.

// Versions written: ONNX IR version 7 goes with operator set 14 (ONNX 1.9), which the HLF
// and GRU classifiers need. The Transformer variants use LayerNormalization, an operator of
// set 17: their models declare IR version 8 and set 17 (ONNX 1.12; ONNX Runtime supports both).
const (
	IRVersion            = 7
	Opset                = 14
	IRVersionTransformer = 8
	OpsetTransformer     = 17
)

// TensorProto.DataType values.
const (
	dtFloat = 1
	dtInt32 = 6
	dtInt64 = 7
	dtBool  = 9
)

// AttributeProto.AttributeType values.
const (
	attrFloat = 1
	attrInt   = 2
	attrInts  = 7
)

type model struct {
	producerName, producerVersion, docString string
	graph                                    graph
	metadata                                 []KeyValue
	irVersion, opset                         int64 // 0: IRVersion, Opset
}

// KeyValue is one entry of the model's metadata_props.
type KeyValue struct{ Key, Value string }

type graph struct {
	name        string
	nodes       []node
	initializer []tensor
	inputs      []valueInfo
	outputs     []valueInfo
}

type node struct {
	name, opType    string
	inputs, outputs []string
	attrs           []attribute
}

type attribute struct {
	name string
	kind int // attrFloat, attrInt or attrInts
	f    float32
	i    int64
	ints []int64
}

// tensor is an initializer; its values go to raw_data, little-endian.
type tensor struct {
	name     string
	dataType int
	dims     []int64
	raw      []byte
}

// valueInfo is a graph input or output: a tensor of elemType whose dimensions are fixed sizes
// (> 0) or named symbols (dimParams[i] != "").
type valueInfo struct {
	name      string
	elemType  int
	dims      []int64
	dimParams []string
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendInt(b []byte, num protowire.Number, v int64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

func (m *model) marshal() []byte {
	var b []byte
	ir, set := int64(IRVersion), int64(Opset)
	if m.opset != 0 {
		ir, set = m.irVersion, m.opset
	}
	b = appendInt(b, 1, ir)                    // ir_version
	b = appendString(b, 2, m.producerName)     // producer_name
	b = appendString(b, 3, m.producerVersion)  // producer_version
	b = appendString(b, 6, m.docString)        // doc_string
	b = appendMessage(b, 7, m.graph.marshal()) // graph
	opset := appendInt(nil, 2, set)            // OperatorSetIdProto{domain: "", version}
	b = appendMessage(b, 8, opset)             // opset_import
	for _, kv := range m.metadata {            // metadata_props
		entry := appendString(nil, 1, kv.Key)
		entry = appendString(entry, 2, kv.Value)
		b = appendMessage(b, 14, entry)
	}
	return b
}

func (g *graph) marshal() []byte {
	var b []byte
	for i := range g.nodes {
		b = appendMessage(b, 1, g.nodes[i].marshal())
	}
	b = appendString(b, 2, g.name)
	for i := range g.initializer {
		b = appendMessage(b, 5, g.initializer[i].marshal())
	}
	for i := range g.inputs {
		b = appendMessage(b, 11, g.inputs[i].marshal())
	}
	for i := range g.outputs {
		b = appendMessage(b, 12, g.outputs[i].marshal())
	}
	return b
}

func (n *node) marshal() []byte {
	var b []byte
	for _, in := range n.inputs {
		// An empty name is an omitted optional input; it must keep its position.
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, in)
	}
	for _, out := range n.outputs {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, out)
	}
	b = appendString(b, 3, n.name)
	b = appendString(b, 4, n.opType)
	for i := range n.attrs {
		b = appendMessage(b, 5, n.attrs[i].marshal())
	}
	return b
}

func (a *attribute) marshal() []byte {
	b := appendString(nil, 1, a.name)
	switch a.kind {
	case attrFloat:
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, math.Float32bits(a.f))
	case attrInt:
		b = appendInt(b, 3, a.i)
	case attrInts:
		for _, v := range a.ints {
			b = appendInt(b, 8, v)
		}
	}
	return appendInt(b, 20, int64(a.kind)) // type
}

func (t *tensor) marshal() []byte {
	var b []byte
	for _, d := range t.dims {
		b = appendInt(b, 1, d)
	}
	b = appendInt(b, 2, int64(t.dataType))
	b = appendString(b, 8, t.name)
	b = protowire.AppendTag(b, 9, protowire.BytesType)
	return protowire.AppendBytes(b, t.raw)
}

func (v *valueInfo) marshal() []byte {
	var shape []byte
	for i, d := range v.dims {
		var dim []byte
		if i < len(v.dimParams) && v.dimParams[i] != "" {
			dim = appendString(nil, 2, v.dimParams[i]) // dim_param
		} else {
			dim = appendInt(nil, 1, d) // dim_value
		}
		shape = appendMessage(shape, 1, dim)
	}
	tt := appendInt(nil, 1, int64(v.elemType)) // TypeProto.Tensor.elem_type
	tt = appendMessage(tt, 2, shape)           // shape
	typ := appendMessage(nil, 1, tt)           // TypeProto.tensor_type
	b := appendString(nil, 1, v.name)
	return appendMessage(b, 2, typ)
}

func float32Raw(vals []float32) []byte {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

func int64Raw(vals []int64) []byte {
	b := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	return b
}

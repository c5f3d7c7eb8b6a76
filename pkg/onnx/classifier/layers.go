package classifier

import (
	"fmt"
	"math"
	"slices"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// Weight is one trained variable of a classifier as plain float32 values.
type Weight struct {
	Dims   []int     // e.g. [14, 50] for a Dense kernel
	Values []float32 // row-major
}

// weights are a model's trained variables, keyed by their path below the model scope
// ("/dense_0/weights", "/gru/kernel"); dir names the model in errors.
type weights struct {
	dir string
	w   map[string]Weight
}

// get returns the variable key, checking that its dimensions are dims.
func (ws weights) get(key string, dims ...int) ([]float32, error) {
	w, ok := ws.w[key]
	if !ok {
		return nil, fmt.Errorf("onnx: model %s: checkpoint has no variable %s", ws.dir, key)
	}
	if !slices.Equal(w.Dims, dims) || len(w.Values) != product(dims) {
		return nil, fmt.Errorf("onnx: model %s: variable %s has dimensions %v, want %v", ws.dir, key, w.Dims, dims)
	}
	return w.Values, nil
}

func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// dense adds the Dense layer of scope (package models: "weights" [in, out], "biases" [out])
// as one Gemm: x [B, in] -> x·W + b [B, out].
func (b *builder) dense(ws weights, scope, x string, in, out int) (string, error) {
	w, err := ws.get(scope+"/weights", in, out)
	if err != nil {
		return "", err
	}
	bias, err := ws.get(scope+"/biases", out)
	if err != nil {
		return "", err
	}
	name := scope[1:] // without the leading "/"
	return b.op("Gemm", []string{
		x,
		b.floats(name+"/weights", []int64{int64(in), int64(out)}, w),
		b.floats(name+"/biases", []int64{int64(out)}, bias),
	}), nil
}

// truncation is the particle rows a model reads: max > 0 of them, as which says.
type truncation struct {
	max   int
	which models.Truncation
}

// maskedGRU adds Masking(0) followed by the GRU of scope over seq [B, S, 19] (the rows trunc
// keeps) and returns its last state [B, units].
func (b *builder) maskedGRU(ws weights, scope, seq string, features, units int, trunc truncation) (string, error) {
	// Package models keeps the gates z, r, h side by side (Keras's layout): kernel [F, 3H],
	// recurrent_kernel [H, 3H]. ONNX stacks them as rows: W [3H, F], R [3H, H], the transposes.
	k, err := ws.get(scope+"/kernel", features, 3*units)
	if err != nil {
		return "", err
	}
	u, err := ws.get(scope+"/recurrent_kernel", units, 3*units)
	if err != nil {
		return "", err
	}
	wb, err := ws.get(scope+"/bias", 3*units)
	if err != nil {
		return "", err
	}
	rb, err := ws.get(scope+"/recurrent_bias", 3*units)
	if err != nil {
		return "", err
	}
	name := scope[1:]
	H, F := int64(units), int64(features)
	W := b.floats(name+"/W", []int64{1, 3 * H, F}, transpose(k, features, 3*units))
	R := b.floats(name+"/R", []int64{1, 3 * H, H}, transpose(u, units, 3*units))
	B := b.floats(name+"/B", []int64{1, 6 * H}, append(wb, rb...))
	timeMajor, lens := b.maskedSteps(seq, features, trunc)
	return b.recurrentState("GRU", name, []string{timeMajor, W, R, B, lens}, H, intAttr("linear_before_reset", 1)), nil
}

// maskedLSTM adds Masking(0) followed by the LSTM of scope over seq [B, S, 19] (the rows trunc
// keeps) and returns its last hidden state [B, units].
func (b *builder) maskedLSTM(ws weights, scope, seq string, features, units int, trunc truncation) (string, error) {
	k, err := ws.get(scope+"/kernel", features, 4*units)
	if err != nil {
		return "", err
	}
	u, err := ws.get(scope+"/recurrent_kernel", units, 4*units)
	if err != nil {
		return "", err
	}
	bias, err := ws.get(scope+"/bias", 4*units)
	if err != nil {
		return "", err
	}
	// Package models keeps Keras's gate order i, f, c, o side by side: kernel [F, 4H],
	// recurrent_kernel [H, 4H], bias [4H]. ONNX stacks the gates as rows in the order i, o, f, c
	// (W [4H, F], R [4H, H]) and its bias is Wb then Rb [8H]: Keras's one bias is Wb, Rb is 0.
	name := scope[1:]
	H, F := int64(units), int64(features)
	W := b.floats(name+"/W", []int64{1, 4 * H, F}, onnxLSTMGates(transpose(k, features, 4*units), units, features))
	R := b.floats(name+"/R", []int64{1, 4 * H, H}, onnxLSTMGates(transpose(u, units, 4*units), units, units))
	B := b.floats(name+"/B", []int64{1, 8 * H}, append(onnxLSTMGates(bias, units, 1), make([]float32, 4*units)...))
	timeMajor, lens := b.maskedSteps(seq, features, trunc)
	return b.recurrentState("LSTM", name, []string{timeMajor, W, R, B, lens}, H), nil
}

// kerasToONNXLSTM maps ONNX's LSTM gate i, o, f, c (position) to Keras's i, f, c, o block.
var kerasToONNXLSTM = [4]int{0, 3, 1, 2}

// onnxLSTMGates reorders the 4 gate blocks of rows×cols rows each of m (Keras's order i, f,
// c, o, stacked as rows) into ONNX's order i, o, f, c.
func onnxLSTMGates(m []float32, rows, cols int) []float32 {
	block := rows * cols
	out := make([]float32, 0, len(m))
	for _, g := range kerasToONNXLSTM {
		out = append(out, m[g*block:(g+1)*block]...)
	}
	return out
}

// recurrentState adds the ONNX recurrent operator op (GRU, LSTM) with the given inputs
// (X, W, R, B, sequence_lens) and hidden size and returns its last hidden state Y_h as
// [B, hidden].
func (b *builder) recurrentState(op, name string, inputs []string, hidden int64, attrs ...attribute) string {
	yh := b.fresh("v")
	b.g.nodes = append(b.g.nodes, node{
		name: fmt.Sprintf("%s_%d", op, len(b.g.nodes)), opType: op,
		inputs:  inputs,
		outputs: []string{"", yh}, // Y (all states) is not needed; Y_h [1, B, hidden]
		attrs:   append([]attribute{intAttr("hidden_size", hidden)}, attrs...),
	})
	return b.op("Reshape", []string{yh, b.int64s(name+"/state_shape", []int64{2}, []int64{-1, hidden})})
}

// maskedSteps prepares seq [B, S, F] for an ONNX recurrent operator as Keras's Masking(0)
// reads it, on the rows trunc keeps: it returns the time-major input [S, B, F] and
// sequence_lens [B].
//
// Keras's masking skips every all-zero timestep wherever it lies: the state is carried over
// it unchanged. ONNX's recurrent operators only skip trailing steps (those past
// sequence_lens). The graph therefore moves the valid timesteps of each row to the front,
// keeping their order (a stable compaction: TopK on the key position + S·[masked], then
// Gather), and sets sequence_lens to their count. Running the layer over the valid steps
// alone is exactly what masking computes; when the padding is already trailing the
// compaction is the identity.
func (b *builder) maskedSteps(seq string, features int, trunc truncation) (timeMajor, lens string) {
	F := int64(features)
	x := b.truncated(seq, trunc)
	zero := b.floats("zero", nil, []float32{0})
	one := b.floats("one", nil, []float32{1})
	valid := b.valid(x, zero)
	lens = b.op("Cast", []string{
		b.op("ReduceSum", []string{valid, b.int64s("axis_1", []int64{1}, []int64{1})}, intAttr("keepdims", 0)),
	}, intAttr("to", dtInt32))

	// Stable compaction of the valid steps to the front.
	steps := b.op("Gather", []string{b.op("Shape", []string{x}), b.int64s("index_1", []int64{1}, []int64{1})}) // [S]
	ones := b.op("Add", []string{b.op("Mul", []string{valid, zero}), one})
	pos := b.op("CumSum", []string{ones, b.int64s("axis_scalar_1", nil, []int64{1})}, intAttr("exclusive", 1))
	masked := b.op("Sub", []string{one, valid})
	key := b.op("Add", []string{pos, b.op("Mul", []string{masked, b.op("Cast", []string{steps}, intAttr("to", dtFloat))})})
	order := b.opN("TopK", 2, []string{key, steps}, intAttr("axis", 1), intAttr("largest", 0), intAttr("sorted", 1))[1]
	// Gather the rows straight into time-major order [S, B, F] from x seen as [B·S, F]:
	// row index order + b·S, transposed (cheaper than GatherElements on [B, S, F] indices).
	batchIndex := b.op("Cast", []string{b.op("CumSum", []string{ones, b.int64s("axis_scalar_0", nil, []int64{0})},
		intAttr("exclusive", 1))}, intAttr("to", dtInt64))
	flat := b.op("Add", []string{order, b.op("Mul", []string{batchIndex, steps})})
	rowsOfX := b.op("Reshape", []string{x, b.int64s("rows_shape", []int64{2}, []int64{-1, F})})
	timeMajor = b.op("Gather", []string{rowsOfX, b.op("Transpose", []string{flat}, intsAttr("perm", 1, 0))}, intAttr("axis", 0))

	return timeMajor, lens
}

// truncated returns the rows of seq [B, S, F] trunc keeps: all, or the trunc.max the model
// was trained on, the last ones or the first ones.
func (b *builder) truncated(seq string, trunc truncation) string {
	if trunc.max <= 0 {
		return seq
	}
	// Slice clamps its bounds to the axis: a sequence of at most trunc.max rows is read
	// whole, as models.Truncation.Window reads it.
	start, end := int64(0), int64(trunc.max)
	if trunc.which == models.TruncateLast {
		start, end = -int64(trunc.max), math.MaxInt64
	}
	return b.op("Slice", []string{seq,
		b.int64s("slice_starts", []int64{1}, []int64{start}),
		b.int64s("slice_ends", []int64{1}, []int64{end}),
		b.int64s("slice_axes", []int64{1}, []int64{1}),
	})
}

// valid returns [B, S] float: 1 where any feature of the row of x [B, S, F] differs from 0
// (Keras Masking(0), models.Mask), else 0; zero is the float scalar 0.
func (b *builder) valid(x, zero string) string {
	nonZero := b.op("Not", []string{b.op("Equal", []string{x, zero})})
	return b.op("ReduceMax", []string{b.op("Cast", []string{nonZero}, intAttr("to", dtFloat))},
		intsAttr("axes", 2), intAttr("keepdims", 0))
}

// transpose returns the [cols, rows] transpose of the row-major [rows, cols] matrix m.
func transpose(m []float32, rows, cols int) []float32 {
	t := make([]float32, len(m))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			t[j*rows+i] = m[i*cols+j]
		}
	}
	return t
}

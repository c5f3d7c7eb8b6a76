package classifier

import (
	"fmt"
	"math"

	"github.com/godltrigger/godltrigger/pkg/models"
)

// transformerBranch adds the particle branch of the Transformer variants (models.TransformerFlatten,
// models.TransformerMasked) over seq [B, S, 19] (the rows trunc keeps) and returns its summary
// [B, cfg.ParticleDenseUnits]: MatMul projections, Softmax attention, LayerNormalization (opset
// 17), a per-row MatMul and Relu, then Flatten (the original's) or the masked mean (ours), and
// the Dense as Gemm. Dropout is absent (inference).
func (b *builder) transformerBranch(ws weights, cfg models.Config, seq string, trunc truncation) (string, error) {
	const F = models.NumFeatures
	H, D := cfg.AttentionHeads, cfg.AttentionKeyDim
	x := b.truncated(seq, trunc)
	zero := b.floats("zero", nil, []float32{0})
	one := b.floats("one", nil, []float32{1})
	masked := cfg.Kind == models.KindInclusiveTransformerMasked

	var keyMask, real, bias string
	if masked {
		real = b.valid(x, zero) // [B, S]
		// An event without real rows attends over all of them (models.TransformerMasked).
		none := b.op("Sub", []string{one, b.op("ReduceMax", []string{real}, intsAttr("axes", 1), intAttr("keepdims", 1))})
		keys := b.op("Max", []string{real, none})
		keyMask = b.op("Cast", []string{b.op("Unsqueeze", []string{keys, b.int64s("axes_1_2", []int64{2}, []int64{1, 2})})},
			intAttr("to", dtBool)) // [B, 1, 1, S]
		if cfg.PairBias {
			w, err := ws.get("/pair_bias/weights", H)
			if err != nil {
				return "", err
			}
			dr := b.pairDeltaR(x) // [B, S, S]
			bias = b.op("Mul", []string{
				b.op("Unsqueeze", []string{dr, b.int64s("axes_1", []int64{1}, []int64{1})}),
				b.floats("pair_bias/weights", []int64{1, int64(H), 1, 1}, w),
			}) // [B, H, S, S]
		}
	}

	a, err := b.selfAttention(ws, "/attention", x, H, D, keyMask, bias)
	if err != nil {
		return "", err
	}
	gamma, err := ws.get("/layer_norm/gamma", F)
	if err != nil {
		return "", err
	}
	beta, err := ws.get("/layer_norm/beta", F)
	if err != nil {
		return "", err
	}
	a = b.op("LayerNormalization", []string{a, b.floats("layer_norm/gamma", []int64{F}, gamma), b.floats("layer_norm/beta", []int64{F}, beta)},
		intAttr("axis", -1), floatAttr("epsilon", models.LayerNormEpsilon))
	U := cfg.TimeDistributedUnits
	t, err := b.matMulBias(ws, "/time_distributed", "weights", "biases", a, []int{F, U}, []int{U}, int64(F), int64(U))
	if err != nil {
		return "", err
	}
	t = b.op("Relu", []string{t}) // [B, S, U]

	var summary string
	width := U
	if masked {
		m := b.op("Unsqueeze", []string{real, b.int64s("axes_2", []int64{1}, []int64{2})}) // [B, S, 1]
		axis1 := b.int64s("axis_1", []int64{1}, []int64{1})
		sum := b.op("ReduceSum", []string{b.op("Mul", []string{t, m}), axis1}, intAttr("keepdims", 0))
		count := b.op("Max", []string{b.op("ReduceSum", []string{m, axis1}, intAttr("keepdims", 0)), one})
		summary = b.op("Div", []string{sum, count})
	} else {
		// The Flatten's width is the rows the model was built for times U: its Dense kernel's rows.
		w, ok := ws.w["/particle_dense/weights"]
		if !ok || len(w.Dims) != 2 || w.Dims[0]%U != 0 {
			return "", fmt.Errorf("onnx: model %s: checkpoint has no particle_dense/weights [particles·%d, %d]", ws.dir, U, cfg.ParticleDenseUnits)
		}
		width = w.Dims[0]
		summary = b.op("Reshape", []string{t, b.int64s("flatten_shape", []int64{2}, []int64{0, int64(width)})})
	}
	p, err := b.dense(ws, "/particle_dense", summary, width, cfg.ParticleDenseUnits)
	if err != nil {
		return "", err
	}
	return b.op("Relu", []string{p}), nil
}

// selfAttention adds models.MultiHeadSelfAttention over x [B, S, F] with the variables of
// scope: per-projection MatMul, heads split by Reshape and Transpose, Softmax over the keys
// (keyMask [B, 1, 1, S] boolean and bias [B, H, S, S] optional), output projection.
func (b *builder) selfAttention(ws weights, scope, x string, heads, keyDim int, keyMask, bias string) (string, error) {
	const F = models.NumFeatures
	H, D := int64(heads), int64(keyDim)
	headsShape := b.int64s(scope[1:]+"/heads_shape", []int64{4}, []int64{0, 0, H, D})
	var qkv [3]string
	for i, name := range []string{"query", "key", "value"} {
		p, err := b.matMulBias(ws, scope+"/"+name, "kernel", "bias", x, []int{F, heads, keyDim}, []int{heads, keyDim}, F, H*D)
		if err != nil {
			return "", err
		}
		perm := []int64{0, 2, 1, 3} // [B, H, S, D]
		if name == "key" {
			perm = []int64{0, 2, 3, 1} // [B, H, D, S]
		}
		qkv[i] = b.op("Transpose", []string{b.op("Reshape", []string{p, headsShape})}, intsAttr("perm", perm...))
	}
	scores := b.op("Mul", []string{b.op("MatMul", []string{qkv[0], qkv[1]}),
		b.floats(scope[1:]+"/scale", nil, []float32{float32(1 / math.Sqrt(float64(keyDim)))})}) // [B, H, S, S]
	if bias != "" {
		scores = b.op("Add", []string{scores, bias})
	}
	if keyMask != "" {
		scores = b.op("Where", []string{keyMask, scores, b.floats("minus_inf", nil, []float32{float32(math.Inf(-1))})})
	}
	att := b.op("Softmax", []string{scores}, intAttr("axis", -1))
	o := b.op("Transpose", []string{b.op("MatMul", []string{att, qkv[2]})}, intsAttr("perm", 0, 2, 1, 3)) // [B, S, H, D]
	o = b.op("Reshape", []string{o, b.int64s(scope[1:]+"/merge_shape", []int64{3}, []int64{0, 0, H * D})})
	return b.matMulBias(ws, scope+"/output", "kernel", "bias", o, []int{heads, keyDim, F}, []int{F}, H*D, F)
}

// matMulBias adds x·W + b for the variables scope/kernel (dims) and scope/bias (biasDims),
// with W seen as [in, out] and b as [out]: a MatMul over the last axis of x of any rank.
func (b *builder) matMulBias(ws weights, scope, kernel, bias, x string, dims, biasDims []int, in, out int64) (string, error) {
	w, err := ws.get(scope+"/"+kernel, dims...)
	if err != nil {
		return "", err
	}
	bv, err := ws.get(scope+"/"+bias, biasDims...)
	if err != nil {
		return "", err
	}
	name := scope[1:]
	return b.op("Add", []string{
		b.op("MatMul", []string{x, b.floats(name+"/"+kernel, []int64{in, out}, w)}),
		b.floats(name+"/"+bias, []int64{out}, bv),
	}), nil
}

// pairDeltaR returns ΔR [B, S, S] between the rows of x [B, S, 19] from its Eta and Phi
// columns, as models.TransformerMasked computes it.
func (b *builder) pairDeltaR(x string) string {
	diff := func(col int64, name string) string {
		c := b.op("Gather", []string{x, b.int64s(name, nil, []int64{col})}, intAttr("axis", 2)) // [B, S]
		d := b.op("Sub", []string{
			b.op("Unsqueeze", []string{c, b.int64s(name+"_axes_2", []int64{1}, []int64{2})}),
			b.op("Unsqueeze", []string{c, b.int64s(name+"_axes_1", []int64{1}, []int64{1})}),
		})
		return b.op("Mul", []string{d, d})
	}
	return b.op("Sqrt", []string{b.op("Add", []string{diff(models.ColumnEta, "column_eta"), diff(models.ColumnPhi, "column_phi")})})
}

func floatAttr(name string, v float64) attribute {
	return attribute{name: name, kind: attrFloat, f: float32(v)}
}

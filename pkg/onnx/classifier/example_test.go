package classifier_test

import (
	"fmt"
	"log"

	"github.com/gomlx/compute-onnx/support/protos"
	"google.golang.org/protobuf/proto"

	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/onnx/classifier"
)

// The graph of a small HLF classifier (one hidden layer of 4 units) from its weights, decoded
// again as a standard ONNX ModelProto.
func ExampleModel_Marshal() {
	cfg := models.Config{Kind: models.KindHLF, HLFHidden: []int{4}}
	constant := func(v float32, dims ...int) classifier.Weight {
		n := 1
		for _, d := range dims {
			n *= d
		}
		vals := make([]float32, n)
		for i := range vals {
			vals[i] = v
		}
		return classifier.Weight{Dims: dims, Values: vals}
	}
	m := classifier.Model{
		Config: cfg,
		Weights: map[string]classifier.Weight{ // as package models names the trained variables
			"/dense_0/weights": constant(0.1, models.NumHLF, 4),
			"/dense_0/biases":  constant(0, 4),
			"/output/weights":  constant(0.2, 4, models.NumClasses),
			"/output/biases":   constant(0, models.NumClasses),
		},
		Source:   "example",
		Producer: "godltrigger",
	}
	data, err := m.Marshal()
	if err != nil {
		log.Fatal(err)
	}

	var p protos.ModelProto
	if err := proto.Unmarshal(data, &p); err != nil {
		log.Fatal(err)
	}
	g := p.GetGraph()
	fmt.Println("graph:", g.GetName(), "producer:", p.GetProducerName())
	for _, in := range g.GetInput() {
		fmt.Println("input:", in.GetName(), dims(in))
	}
	for _, out := range g.GetOutput() {
		fmt.Println("output:", out.GetName(), dims(out))
	}
	for _, n := range g.GetNode() {
		fmt.Println("node:", n.GetOpType(), n.GetInput(), "->", n.GetOutput())
	}

	// A missing variable is an error naming the model and the variable.
	delete(m.Weights, "/output/biases")
	_, err = m.Marshal()
	fmt.Println(err)
	// Output:
	// graph: godltrigger_hlf producer: godltrigger
	// input: hlf [batch 14]
	// output: probabilities [batch 3]
	// node: Gemm [hlf dense_0/weights dense_0/biases] -> [v0]
	// node: Relu [v0] -> [v1]
	// node: Gemm [v1 output/weights output/biases] -> [v2]
	// node: Softmax [v2] -> [probabilities]
	// onnx: model example: checkpoint has no variable /output/biases
}

// dims are a value's tensor dimensions, by name where symbolic.
func dims(v *protos.ValueInfoProto) []string {
	var out []string
	for _, d := range v.GetType().GetTensorType().GetShape().GetDim() {
		if d.GetDimParam() != "" {
			out = append(out, d.GetDimParam())
		} else {
			out = append(out, fmt.Sprint(d.GetDimValue()))
		}
	}
	return out
}

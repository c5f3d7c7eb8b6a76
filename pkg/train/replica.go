package train

import (
	stdcontext "context"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"

	"github.com/godltrigger/godltrigger/pkg/cluster"
	"github.com/godltrigger/godltrigger/pkg/modeldir"
	"github.com/godltrigger/godltrigger/pkg/models"
	"github.com/godltrigger/godltrigger/pkg/progress"
)

// The fused buffer a replica's gradient step returns and the ranks sum: the gradients of the
// trainable model variables (sorted by scope and name, flattened), each multiplied by the
// batch's rows, then these values.
const (
	tailLoss    = iota // the batch's mean loss times its rows
	tailCorrect        // correctly classified rows
	tailRows           // rows of the batch (0 for a rank without one)
	tailFailed         // 1 when the rank failed to produce its batch
	tailLen
)

// gradientUpdater is what Adam offers besides optimizer.Interface: the update of the trainable
// variables in use by the graph from given gradients.
type gradientUpdater interface {
	UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
}

// StepTimes is where a replica's training steps spent their time.
type StepTimes struct {
	Steps     int
	Gradients time.Duration // loss, correct count and gradients of the local batch (one graph)
	AllReduce time.Duration // summing the fused buffer over the ranks, waiting for the slowest
	Apply     time.Duration // the Adam update from the summed gradients (a second graph)
}

// String gives the mean time per step of each part.
func (t StepTimes) String() string {
	if t.Steps == 0 {
		return "no steps"
	}
	ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 / float64(t.Steps) }
	return fmt.Sprintf("per step: gradients %.2f ms, all-reduce %.2f ms, apply %.2f ms",
		ms(t.Gradients), ms(t.AllReduce), ms(t.Apply))
}

// replicaStep is the training step of one rank of a data-parallel job. Every step each rank
// computes the gradients of its own batch, the ranks sum them (weighted by rows) in one
// all-reduce, and every rank applies the same Adam update of the row-weighted mean gradient:
// the replicas stay identical and the update equals that of one process on the union of the
// ranks' batches.
type replicaStep struct {
	comm   cluster.Comm
	cfg    models.Config
	opts   modeldir.Options
	grad   *model.Exec       // batch -> fused buffer
	apply  *model.Exec       // summed fused buffer -> Adam update
	vars   []*model.Variable // trainable model variables, sorted by scope and name
	params int               // gradient values in the fused buffer
	times  StepTimes
}

// newReplicaStep creates and initialises every variable of the model and of Adam in ctx (those
// loaded from a checkpoint are kept), overwrites them all with rank 0's values, and compiles
// the two graphs of a step.
func newReplicaStep(backend compute.Backend, store *model.Store, cfg models.Config, opts modeldir.Options, comm cluster.Comm) (*replicaStep, error) {
	adam, ok := newAdam(opts).(gradientUpdater)
	if !ok {
		return nil, fmt.Errorf("train: the Adam optimizer of this GoMLX version cannot apply given gradients")
	}
	s := &replicaStep{comm: comm, cfg: cfg, opts: opts}
	err := createVariables(backend, store, cfg, adam)
	if err == nil {
		s.vars = modelVariables(store)
		for _, v := range s.vars {
			if v.Shape().DType != dtypes.Float32 {
				err = fmt.Errorf("train: model variable %s is %s, want float32", v.Path(), v.Shape().DType)
			}
			s.params += v.Shape().Size()
		}
	}
	if err := agree(comm, err); err != nil { // no rank goes on to the broadcast alone
		return nil, err
	}
	if err := agree(comm, broadcastVariables(comm, store)); err != nil {
		return nil, err
	}
	if s.grad, err = model.NewExec(backend, store, s.gradientGraph); err != nil {
		return nil, err
	}
	if s.apply, err = model.NewExec(backend, store, func(scope *model.Scope, fused *Node) *Node {
		return s.applyGraph(scope, fused, adam)
	}); err != nil {
		s.grad.Finalize()
		return nil, err
	}
	return s, nil
}

// createVariables builds, without compiling it, the graph of a fused training step (model,
// loss, Adam with zero gradients) on a one-row batch, which creates the variables in the order
// the single-process step creates them, then initialises those without a value: the initial
// weights equal those of a single-process run with the same seed.
func createVariables(backend compute.Backend, store *model.Store, cfg models.Config, adam gradientUpdater) (err error) {
	g := NewGraph(backend, "create_variables")
	defer g.Finalize()
	model.SetStore(g, store)
	store.SetTraining(g, true)
	scope := store.RootScope()
	var in []*Node
	if cfg.UsesHLF() {
		in = append(in, Parameter(g, "hlf", shapes.Make(dtypes.Float32, 1, models.NumHLF)))
	}
	if cfg.UsesSequence() {
		in = append(in, Parameter(g, "seq", shapes.Make(dtypes.Float32, 1, 2, models.NumFeatures)))
	}
	in = append(in, Parameter(g, "labels", shapes.Make(dtypes.Float32, 1, models.NumClasses)))
	hlf, seq, labels := splitInputs(cfg, in)
	logits := models.Logits(scope.In(modeldir.ModelScope), cfg, hlf, seq)
	l := loss.CategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
	var zeros []*Node
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			zeros = append(zeros, ZerosLike(v.NodeValue(g)))
		}
	}
	adam.UpdateGraphWithGradients(scope, zeros, l.DType())
	if err := store.InitializeVariables(backend, nil); err != nil {
		return fmt.Errorf("train: initialise variables: %w", err)
	}
	return nil
}

// gradientGraph returns the fused buffer of a batch (inputs as for batchTensors).
func (s *replicaStep) gradientGraph(scope *model.Scope, in []*Node) *Node {
	g := in[0].Graph()
	scope.Store().SetTraining(g, true)
	hlf, seq, labels := splitInputs(s.cfg, in)
	logits := models.Logits(scope.In(modeldir.ModelScope), s.cfg, hlf, seq)
	l := loss.CategoricalCrossEntropyLogits([]*Node{labels}, []*Node{logits})
	values := make([]*Node, len(s.vars))
	for i, v := range s.vars {
		values[i] = v.NodeValue(g)
	}
	rows := Scalar(g, dtypes.Float32, float64(labels.Shape().Dimensions[0]))
	parts := make([]*Node, 0, len(s.vars)+tailLen)
	for _, grad := range Gradient(l, values...) {
		parts = append(parts, Reshape(Mul(grad, rows), -1))
	}
	parts = append(parts, Reshape(Mul(l, rows), 1), Reshape(countCorrect(logits, labels), 1),
		Reshape(rows, 1), Zeros(g, shapes.Make(dtypes.Float32, 1)))
	return Concatenate(parts, 0)
}

// applyGraph divides the summed gradients of the fused buffer by the summed rows and hands
// them to Adam; it returns the rows.
func (s *replicaStep) applyGraph(scope *model.Scope, fused *Node, adam gradientUpdater) *Node {
	g := fused.Graph()
	rows := Reshape(Slice(fused, AxisElem(s.params+tailRows)))
	rows = Max(rows, OnesLike(rows))
	byVar := make(map[*model.Variable]*Node, len(s.vars))
	off := 0
	for _, v := range s.vars {
		n := v.Shape().Size()
		byVar[v] = Div(Reshape(Slice(fused, AxisRange(off, off+n)), v.Shape().Dimensions...), rows)
		v.NodeValue(g) // Adam updates the trainable variables in use by the graph
		off += n
	}
	grads := make([]*Node, 0, len(s.vars))
	for v := range scope.IterVariables() { // Adam pairs gradients with variables in store order
		if grad, ok := byVar[v]; ok {
			grads = append(grads, grad)
		}
	}
	adam.UpdateGraphWithGradients(scope, grads, dtypes.Float32)
	return rows
}

// Finalize releases the compiled graphs.
func (s *replicaStep) Finalize() {
	s.grad.Finalize()
	s.apply.Finalize()
}

// pass trains on one pass of this rank's src, in steps that all ranks take together until
// every rank has run out of batches, and returns the loss and accuracy over the rows of all
// ranks and their number. A rank that fails (or whose ctx is cancelled) makes every rank stop.
func (s *replicaStep) pass(ctx stdcontext.Context, src Source, order Order, bar *progress.Bar) (loss, acc float64, rows int, err error) {
	next, stop := iter.Pull2(src.Batches(order, s.opts.BatchSize))
	defer stop()
	var lossSum, correct, total float64
	var trunc []float32
	exhausted := false
	for {
		var fused *tensors.Tensor
		var local error
		localRows := 0
		if local = ctx.Err(); local == nil && !exhausted {
			b, err, more := next()
			switch {
			case !more:
				exhausted = true
			case err != nil:
				local = err
			case b.Size > 0:
				t0 := time.Now()
				tb := *b
				trunc = truncateParticles(&tb, s.opts, trunc)
				fused, local = s.gradients(&tb)
				s.times.Gradients += time.Since(t0)
				localRows = b.Size
			}
		}
		if fused == nil {
			fused = tensors.FromShape(shapes.Make(dtypes.Float32, s.params+tailLen))
		}
		var tail [tailLen]float32
		t0 := time.Now()
		err := tensors.MutableFlatData(fused, func(flat []float32) {
			if local != nil {
				flat[s.params+tailFailed] = 1
			}
			if err := s.comm.AllReduceSum(flat); err != nil {
				local = errors.Join(local, err)
				tail[tailFailed] = 1
				return
			}
			copy(tail[:], flat[s.params:])
		})
		s.times.AllReduce += time.Since(t0)
		if err != nil || tail[tailFailed] > 0 || tail[tailRows] == 0 {
			fused.FinalizeAll()
			switch {
			case err != nil:
				return 0, 0, 0, err
			case local != nil:
				return 0, 0, 0, local
			case tail[tailFailed] > 0:
				return 0, 0, 0, errors.New("another rank failed (see its output)")
			}
			break // every rank has run out of batches
		}
		t0 = time.Now()
		out, err := s.apply.Call(fused)
		fused.FinalizeAll()
		if err != nil {
			return 0, 0, 0, err
		}
		finalize(out)
		s.times.Apply += time.Since(t0)
		s.times.Steps++
		stepLoss := float64(tail[tailLoss]) / float64(tail[tailRows])
		if math.IsNaN(stepLoss) || math.IsInf(stepLoss, 0) {
			return 0, 0, 0, fmt.Errorf("loss is %v after %.0f rows", stepLoss, total)
		}
		lossSum += float64(tail[tailLoss])
		correct += float64(tail[tailCorrect])
		total += float64(tail[tailRows])
		bar.Add(int64(localRows))
		bar.SetNote("loss %.4f acc %.4f", lossSum/total, correct/total)
	}
	if total == 0 {
		return 0, 0, 0, errors.New("the sources of all ranks yielded no rows")
	}
	return lossSum / total, correct / total, int(total), nil
}

// gradients runs the gradient graph on b and returns its fused buffer.
func (s *replicaStep) gradients(b *Batch) (*tensors.Tensor, error) {
	args, err := batchTensors(s.cfg, b, true)
	if err != nil {
		return nil, err
	}
	out, err := s.grad.Call(args...)
	for _, a := range args {
		a.(*tensors.Tensor).FinalizeAll()
	}
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// modelVariables returns the trainable variables of the model scope, sorted by scope and name.
func modelVariables(store *model.Store) []*model.Variable {
	var vars []*model.Variable
	prefix := "/" + modeldir.ModelScope + "/"
	for v := range store.IterVariables() {
		if v.Trainable && strings.HasPrefix(v.Path(), prefix) {
			vars = append(vars, v)
		}
	}
	slices.SortFunc(vars, func(a, b *model.Variable) int { return strings.Compare(a.Path(), b.Path()) })
	return vars
}

// flatValues returns the float32 values of vars one after the other.
func flatValues(vars []*model.Variable) ([]float32, error) {
	var out []float32
	for _, v := range vars {
		t, err := v.Value()
		if err != nil {
			return nil, err
		}
		if err := t.ConstFlatData(func(flat any) { out = append(out, flat.([]float32)...) }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

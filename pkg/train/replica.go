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

// replicaStep is the training step of one rank (replica) of a data-parallel job; a single
// process is the one rank of a communicator of size one. Every step each rank computes the
// gradients of its own batch, the ranks sum them (weighted by rows) in one all-reduce, and
// every rank applies the same Adam update of the row-weighted mean gradient: the replicas stay
// identical and the update equals that of one process on the union of the ranks' batches. With
// one rank there is nothing to sum, and the loss, the gradients and the update run as one
// graph (fused).
type replicaStep struct {
	comm   cluster.Comm
	cfg    models.Config
	opts   modeldir.Options
	fused  *model.Exec       // one rank: batch -> loss, correct count, Adam update
	grad   *model.Exec       // several ranks: batch -> fused buffer
	apply  *model.Exec       // several ranks: summed fused buffer -> Adam update
	vars   []*model.Variable // trainable model variables, sorted by scope and name
	params int               // gradient values in the fused buffer
	times  StepTimes
}

// newReplicaStep compiles (lazily, per batch shape) the step of this rank of comm. With several
// ranks it first creates and initialises every variable of the model and of Adam in store
// (those loaded from a checkpoint are kept) and overwrites them all with rank 0's values; with
// one, the first step creates them.
func newReplicaStep(backend compute.Backend, store *model.Store, cfg models.Config, opts modeldir.Options, comm cluster.Comm) (*replicaStep, error) {
	s := &replicaStep{comm: comm, cfg: cfg, opts: opts}
	if comm.Size() == 1 {
		var err error
		s.fused, err = newFusedStep(backend, store, cfg, opts)
		return s, err
	}
	adam, ok := newAdam(opts).(gradientUpdater)
	if !ok {
		return nil, fmt.Errorf("train: the Adam optimizer of this GoMLX version cannot apply given gradients")
	}
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
	for _, e := range []*model.Exec{s.fused, s.grad, s.apply} {
		if e != nil {
			e.Finalize()
		}
	}
}

// stepSums are what a step adds to a pass, summed over the ranks (see tailLoss).
type stepSums [tailLen]float64

// stepFunc runs one step on this rank's batch b (nil when the rank has none left) or, when
// local is not nil, reports this rank's failure; it returns the step's sums. A step whose sums
// hold no rows ends the pass.
type stepFunc func(b *Batch, local error) (stepSums, error)

// runPass runs step over one pass of src and returns the row-weighted mean loss, the accuracy
// and the number of rows (of all ranks). report is called after every step with this rank's
// rows so far and the running loss and accuracy. A rank that fails (or whose ctx is cancelled)
// makes every rank stop.
func runPass(ctx stdcontext.Context, src Source, order Order, batchSize int, step stepFunc,
	report func(rows int, loss, acc float64)) (loss, acc float64, rows int, err error) {
	next, stop := iter.Pull2(src.Batches(order, batchSize))
	defer stop()
	var sum stepSums
	localRows, exhausted := 0, false
	for {
		var b *Batch
		local := ctx.Err()
		for local == nil && !exhausted && b == nil {
			batch, err, more := next()
			switch {
			case !more:
				exhausted = true
			case err != nil:
				local = err
			case batch.Size > 0:
				b = batch
			}
		}
		tail, err := step(b, local)
		if err != nil {
			return 0, 0, 0, err
		}
		if tail[tailRows] == 0 {
			break // every rank has run out of batches
		}
		if l := tail[tailLoss] / tail[tailRows]; math.IsNaN(l) || math.IsInf(l, 0) {
			return 0, 0, 0, fmt.Errorf("loss is %v after %.0f rows of finite inputs: the training diverged (try a lower learning rate)", l, sum[tailRows])
		}
		for i := range sum {
			sum[i] += tail[i]
		}
		if b != nil {
			localRows += b.Size
		}
		report(localRows, sum[tailLoss]/sum[tailRows], sum[tailCorrect]/sum[tailRows])
	}
	if sum[tailRows] == 0 {
		return 0, 0, 0, errors.New("the source yielded no rows")
	}
	return sum[tailLoss] / sum[tailRows], sum[tailCorrect] / sum[tailRows], int(sum[tailRows]), nil
}

// execStep runs the graph of a fused step (training, or evaluation) on b: its loss and correct
// count are the step's sums, as this rank is the only one.
func execStep(e *model.Exec, cfg models.Config, b *Batch, local error) (stepSums, error) {
	var sums stepSums
	if local != nil || b == nil {
		return sums, local
	}
	args, err := batchTensors(cfg, b, true)
	if err != nil {
		return sums, err
	}
	res, err := runStep(e, args)
	for _, a := range args {
		a.(*tensors.Tensor).FinalizeAll()
	}
	sums[tailLoss], sums[tailCorrect], sums[tailRows] = res.loss*float64(b.Size), res.correct, float64(b.Size)
	return sums, err
}

// pass trains on one pass of this rank's src, in steps that all ranks take together until
// every rank has run out of batches (see runPass).
func (s *replicaStep) pass(ctx stdcontext.Context, src Source, order Order, report func(rows int, loss, acc float64)) (loss, acc float64, rows int, err error) {
	if report == nil {
		report = func(int, float64, float64) {}
	}
	return runPass(ctx, src, order, s.opts.BatchSize, s.step, report)
}

// step runs one step of this rank: the fused graph on its batch when it is the only rank,
// else its gradients, the all-reduce that sums them over the ranks and the Adam update.
func (s *replicaStep) step(b *Batch, local error) (stepSums, error) {
	if s.fused != nil {
		return execStep(s.fused, s.cfg, b, local)
	}
	var fused *tensors.Tensor
	if local == nil && b != nil {
		t0 := time.Now()
		fused, local = s.gradients(b)
		s.times.Gradients += time.Since(t0)
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
	var sums stepSums
	if err != nil || tail[tailFailed] > 0 || tail[tailRows] == 0 {
		fused.FinalizeAll()
		switch {
		case err != nil:
			return sums, err
		case local != nil:
			return sums, local
		case tail[tailFailed] > 0:
			return sums, errors.New("another rank failed (see its output)")
		}
		return sums, nil // every rank has run out of batches
	}
	t0 = time.Now()
	out, err := s.apply.Call(fused)
	fused.FinalizeAll()
	if err != nil {
		return sums, err
	}
	finalize(out)
	s.times.Apply += time.Since(t0)
	s.times.Steps++
	for i, v := range tail {
		sums[i] = float64(v)
	}
	return sums, nil
}

// stepTimes returns where the steps spent their time since the last call, and resets them;
// nil for a single rank, whose one graph runs all of a step.
func (s *replicaStep) stepTimes() *StepTimes {
	if s.fused != nil {
		return nil
	}
	t := s.times
	s.times = StepTimes{}
	return &t
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

//go:build xgboost

package xgboost

/*
#cgo LDFLAGS: -lxgboost
#include <stdlib.h>
#include <xgboost/c_api.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"github.com/godltrigger/godltrigger/pkg/atomicfile"
)

// Compiled reports whether this binary holds the binding (built with -tags xgboost).
const Compiled = true

// Version is the version of the XGBoost library linked in.
func Version() (major, minor, patch int) {
	var a, b, c C.int
	C.XGBoostVersion(&a, &b, &c)
	return int(a), int(b), int(c)
}

// check turns a return code of the C API into an error carrying XGBoost's message. It must run
// on the thread of the call: XGBoost keeps the last error per thread.
func check(rc C.int) error {
	if rc == 0 {
		return nil
	}
	return fmt.Errorf("xgboost: %s", C.GoString(C.XGBGetLastError()))
}

// onThread runs one C call with its error check on one OS thread.
func onThread(call func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return check(call())
}

// DMatrix is XGBoost's data matrix: rows of features and, for training and evaluation, their
// labels. Close frees it; boosters that cached it keep their own reference.
type DMatrix struct {
	h          C.DMatrixHandle
	rows, cols int
}

// NewDMatrix copies data, rows x cols float32 values in row-major order, into a DMatrix. NaN
// values are missing, as in Python's xgboost.DMatrix.
func NewDMatrix(data []float32, rows, cols int) (*DMatrix, error) {
	if err := checkMatrix(data, rows, cols); err != nil {
		return nil, err
	}
	m := &DMatrix{rows: rows, cols: cols}
	err := onThread(func() C.int {
		return C.XGDMatrixCreateFromMat((*C.float)(unsafe.Pointer(&data[0])), C.bst_ulong(rows), C.bst_ulong(cols),
			C.float(float32(math.NaN())), &m.h)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Rows and Cols are the matrix's shape.
func (m *DMatrix) Rows() int { return m.rows }

// Cols is the number of features per row.
func (m *DMatrix) Cols() int { return m.cols }

// SetLabels sets the label of every row (class ids for classification).
func (m *DMatrix) SetLabels(labels []float32) error {
	if len(labels) != m.rows {
		return fmt.Errorf("xgboost: %d labels for %d rows", len(labels), m.rows)
	}
	field := C.CString("label")
	defer C.free(unsafe.Pointer(field))
	return onThread(func() C.int {
		return C.XGDMatrixSetFloatInfo(m.h, field, (*C.float)(unsafe.Pointer(&labels[0])), C.bst_ulong(len(labels)))
	})
}

// Close frees the matrix. Closing twice is a no-op.
func (m *DMatrix) Close() error {
	if m == nil || m.h == nil {
		return nil
	}
	err := onThread(func() C.int { return C.XGDMatrixFree(m.h) })
	m.h = nil
	return err
}

// Booster is an XGBoost learner: a model and its parameters. Its calls run on its own OS
// thread (see the package documentation). Close frees it.
type Booster struct {
	mu     sync.Mutex
	calls  chan func()
	done   chan struct{}
	closed bool
	h      C.BoosterHandle // used on the booster's thread only
}

// NewBooster creates a booster that caches the predictions of the given matrices (the
// training set and the evaluation sets, as Python's xgboost.train does) and sets params in
// order.
func NewBooster(params []Param, cache ...*DMatrix) (*Booster, error) {
	hs := make([]C.DMatrixHandle, 0, len(cache))
	for i, m := range cache {
		if m == nil || m.h == nil {
			return nil, fmt.Errorf("xgboost: cached matrix %d is closed", i)
		}
		hs = append(hs, m.h)
	}
	b, err := startBooster(func(out *C.BoosterHandle) error {
		var first *C.DMatrixHandle
		if len(hs) > 0 {
			first = &hs[0]
		}
		return check(C.XGBoosterCreate(first, C.bst_ulong(len(hs)), out))
	})
	if err != nil {
		return nil, err
	}
	for _, p := range params {
		if err := b.SetParam(p.Name, p.Value); err != nil {
			b.Close()
			return nil, err
		}
	}
	return b, nil
}

// LoadBooster reads a model file written by Save (or by any XGBoost in its JSON format).
func LoadBooster(path string) (*Booster, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("xgboost: %w", err)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("xgboost: model file %s is empty", path)
	}
	b, err := startBooster(func(out *C.BoosterHandle) error {
		if err := check(C.XGBoosterCreate(nil, 0, out)); err != nil {
			return err
		}
		return check(C.XGBoosterLoadModelFromBuffer(*out, unsafe.Pointer(&data[0]), C.bst_ulong(len(data))))
	})
	if err != nil {
		return nil, fmt.Errorf("xgboost: load %s: %w", path, err)
	}
	return b, nil
}

// startBooster starts the booster's thread and runs create there.
func startBooster(create func(out *C.BoosterHandle) error) (*Booster, error) {
	b := &Booster{calls: make(chan func()), done: make(chan struct{})}
	go serve(b.calls, b.done)
	err := b.do(func() error {
		var h C.BoosterHandle // its own allocation: cgo refuses pointers into b, which holds Go pointers
		err := create(&h)
		b.h = h
		return err
	})
	if err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// serve runs the calls of one booster on one OS thread until calls is closed.
func serve(calls <-chan func(), done chan<- struct{}) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	defer close(done)
	for call := range calls {
		call()
	}
}

var errClosed = errors.New("xgboost: booster is closed")

// do runs fn on the booster's thread and returns its error.
func (b *Booster) do(fn func() error) error {
	errc := make(chan error, 1)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return errClosed
	}
	b.calls <- func() { errc <- fn() }
	b.mu.Unlock()
	return <-errc
}

// SetParam sets one parameter (XGBoost's name, value as text).
func (b *Booster) SetParam(name, value string) error {
	return b.do(func() error {
		n, v := C.CString(name), C.CString(value)
		defer C.free(unsafe.Pointer(n))
		defer C.free(unsafe.Pointer(v))
		if err := check(C.XGBoosterSetParam(b.h, n, v)); err != nil {
			return fmt.Errorf("%w (parameter %s=%s)", err, name, value)
		}
		return nil
	})
}

// Update runs boosting round iter (0-based, consecutive) on train.
func (b *Booster) Update(iter int, train *DMatrix) error {
	if train == nil || train.h == nil {
		return errors.New("xgboost: update on a closed matrix")
	}
	return b.do(func() error { return check(C.XGBoosterUpdateOneIter(b.h, C.int(iter), train.h)) })
}

// Eval evaluates the booster's eval_metric parameters on the named matrices after round iter
// and returns XGBoost's line ("[iter]\tname-metric:value...") and its values (ParseEval).
func (b *Booster) Eval(iter int, sets []*DMatrix, names []string) (string, []Metric, error) {
	if len(sets) == 0 || len(sets) != len(names) {
		return "", nil, fmt.Errorf("xgboost: eval: %d matrices and %d names", len(sets), len(names))
	}
	hs := make([]C.DMatrixHandle, len(sets))
	cn := make([]*C.char, len(names))
	for i, m := range sets {
		if m == nil || m.h == nil {
			return "", nil, fmt.Errorf("xgboost: eval: matrix %s is closed", names[i])
		}
		hs[i] = m.h
		cn[i] = C.CString(names[i])
		defer C.free(unsafe.Pointer(cn[i]))
	}
	var line string
	err := b.do(func() error {
		var out *C.char
		if err := check(C.XGBoosterEvalOneIter(b.h, C.int(iter), &hs[0], &cn[0], C.bst_ulong(len(hs)), &out)); err != nil {
			return err
		}
		line = C.GoString(out)
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	metrics, err := ParseEval(line)
	return line, metrics, err
}

// Predict returns the transformed predictions of m's rows by the rounds [0, rounds) (0: all):
// for multi:softprob the class probabilities, row-major [rows, classes]. shape is XGBoost's.
func (b *Booster) Predict(m *DMatrix, rounds int) (values []float32, shape []int, err error) {
	if m == nil || m.h == nil {
		return nil, nil, errors.New("xgboost: predict on a closed matrix")
	}
	if rounds < 0 {
		return nil, nil, fmt.Errorf("xgboost: predict with %d rounds", rounds)
	}
	config := C.CString(fmt.Sprintf(`{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": %d, "strict_shape": false}`, rounds))
	defer C.free(unsafe.Pointer(config))
	err = b.do(func() error {
		var cshape *C.bst_ulong
		var dim C.bst_ulong
		var out *C.float
		if err := check(C.XGBoosterPredictFromDMatrix(b.h, m.h, config, &cshape, &dim, &out)); err != nil {
			return err
		}
		n := 1
		for _, d := range unsafe.Slice(cshape, int(dim)) {
			shape = append(shape, int(d))
			n *= int(d)
		}
		values = append([]float32(nil), unsafe.Slice((*float32)(unsafe.Pointer(out)), n)...)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return values, shape, nil
}

// Rounds is the number of boosting rounds the model holds.
func (b *Booster) Rounds() (int, error) {
	var n C.int
	err := b.do(func() error { return check(C.XGBoosterBoostedRounds(b.h, &n)) })
	return int(n), err
}

// Slice returns a new booster holding the trees of rounds [begin, end) of b (end 0: all).
func (b *Booster) Slice(begin, end int) (*Booster, error) {
	var out C.BoosterHandle
	err := b.do(func() error {
		rc := C.XGBoosterSlice(b.h, C.int(begin), C.int(end), 1, &out)
		if rc == -2 {
			return fmt.Errorf("xgboost: slice [%d, %d) is out of the model's rounds", begin, end)
		}
		return check(rc)
	})
	if err != nil {
		return nil, err
	}
	return startBooster(func(h *C.BoosterHandle) error {
		*h = out
		return nil
	})
}

// JSON returns the model in XGBoost's JSON model format.
func (b *Booster) JSON() ([]byte, error) {
	config := C.CString(`{"format": "json"}`)
	defer C.free(unsafe.Pointer(config))
	var data []byte
	err := b.do(func() error {
		var n C.bst_ulong
		var out *C.char
		if err := check(C.XGBoosterSaveModelToBuffer(b.h, config, &n, &out)); err != nil {
			return err
		}
		data = C.GoBytes(unsafe.Pointer(out), C.int(n))
		return nil
	})
	return data, err
}

// Save writes the model to path in XGBoost's JSON model format, through a temporary file
// renamed into place when complete.
func (b *Booster) Save(path string) error {
	data, err := b.JSON()
	if err != nil {
		return fmt.Errorf("xgboost: save %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("xgboost: %w", err)
	}
	return nil
}

// Close frees the booster and stops its thread. Closing twice is a no-op.
func (b *Booster) Close() error {
	if b == nil {
		return nil
	}
	err := b.do(func() error {
		if b.h == nil {
			return nil
		}
		rc := C.XGBoosterFree(b.h)
		b.h = nil
		return check(rc)
	})
	if errors.Is(err, errClosed) {
		return nil
	}
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.calls)
	}
	b.mu.Unlock()
	<-b.done
	return err
}

package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/godltrigger/godltrigger/pkg/cluster"
)

// agree makes every rank fail when one does: each rank passes its own error (or nil) and gets
// it back, or, when only other ranks failed, an error saying so. It is a collective call; with
// one rank it returns err.
func agree(comm cluster.Comm, err error) error {
	if comm.Size() == 1 {
		return err
	}
	flag := []float32{0}
	if err != nil {
		flag[0] = 1
	}
	if cerr := comm.AllReduceSum(flag); cerr != nil {
		return errors.Join(err, fmt.Errorf("train: %w", cerr))
	}
	if err == nil && flag[0] > 0 {
		return fmt.Errorf("train: %.0f other rank(s) failed (see their output)", flag[0])
	}
	return err
}

// fromRoot hands rank 0's value, or its error, to every rank: rank 0 passes what it computed
// and gets it back; the other ranks pass anything and get rank 0's value or an error naming
// rank 0's. It is a collective call; with one rank it returns value and err.
func fromRoot[T any](comm cluster.Comm, value T, err error) (T, error) {
	if comm.Size() == 1 {
		return value, err
	}
	type message struct {
		Value T      `json:"value"`
		Err   string `json:"err,omitempty"`
	}
	var data []byte
	if comm.Rank() == 0 {
		m := message{Value: value}
		if err != nil {
			m.Err = err.Error()
		}
		var merr error
		if data, merr = json.Marshal(m); merr != nil {
			data, _ = json.Marshal(message{Err: "train: encode for the other ranks: " + merr.Error()})
			err = errors.Join(err, merr)
		}
	}
	data, berr := broadcastBytes(comm, data)
	if comm.Rank() == 0 || berr != nil {
		return value, errors.Join(err, berr)
	}
	var zero T
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		return zero, fmt.Errorf("train: decode rank 0's message: %w", err)
	}
	if m.Err != "" {
		return zero, fmt.Errorf("train: rank 0 failed: %s", m.Err)
	}
	return m.Value, nil
}

// broadcastBytes sends rank 0's data to every rank (the other ranks' data is ignored).
func broadcastBytes(comm cluster.Comm, data []byte) ([]byte, error) {
	n := []float32{math.Float32frombits(uint32(len(data)))}
	if err := comm.Broadcast(n, 0); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	size := int(math.Float32bits(n[0]))
	words := make([]float32, (size+3)/4)
	view := float32Bytes(words)
	if comm.Rank() == 0 {
		copy(view, data)
	}
	if err := comm.Broadcast(words, 0); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return view[:size], nil
}

// float32Bytes views w as bytes.
func float32Bytes(w []float32) []byte {
	if len(w) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 4*len(w))
}

// broadcastVariables overwrites every variable of ctx with rank 0's value, bit for bit:
// weights, optimizer moments, step counters and random state. The ranks first compare the
// names, shapes and sizes of their variables, and all fail when they differ.
func broadcastVariables(comm cluster.Comm, store *model.Store) error {
	var vars []*model.Variable
	for v := range store.IterVariables() {
		vars = append(vars, v)
	}
	slices.SortFunc(vars, func(a, b *model.Variable) int { return strings.Compare(a.Path(), b.Path()) })
	h := fnv.New64a()
	words := 0
	for _, v := range vars {
		fmt.Fprintf(h, "%s %s;", v.Path(), v.Shape())
		words += (int(v.Shape().Memory()) + 3) / 4
	}
	sum := h.Sum64()
	mine := []float32{math.Float32frombits(uint32(sum)), math.Float32frombits(uint32(sum >> 32)), math.Float32frombits(uint32(words))}
	root := slices.Clone(mine)
	if err := comm.Broadcast(root, 0); err != nil {
		return fmt.Errorf("train: %w", err)
	}
	var mismatch error
	for i := range mine {
		if math.Float32bits(mine[i]) != math.Float32bits(root[i]) {
			mismatch = fmt.Errorf("train: rank %d's %d variables differ from rank 0's (names, shapes)", comm.Rank(), len(vars))
		}
	}
	if err := agree(comm, mismatch); err != nil {
		return err
	}
	buf := make([]float32, words)
	view := float32Bytes(buf)
	each := func(fn func(v *model.Variable, bytes []byte) error) error {
		off := 0
		for _, v := range vars {
			n := int(v.Shape().Memory())
			if err := fn(v, view[off:off+n]); err != nil {
				return fmt.Errorf("train: variable %s: %w", v.Path(), err)
			}
			off += (n + 3) &^ 3
		}
		return nil
	}
	var rootErr error // still broadcast (garbage) so that no rank waits forever; the caller agrees
	if comm.Rank() == 0 {
		rootErr = each(func(v *model.Variable, dst []byte) error {
			t, err := v.Value()
			if err != nil {
				return err
			}
			return t.ConstBytes(func(src []byte) { copy(dst, src) })
		})
	}
	if err := comm.Broadcast(buf, 0); err != nil {
		return errors.Join(rootErr, fmt.Errorf("train: %w", err))
	}
	if comm.Rank() == 0 {
		return rootErr
	}
	return each(func(v *model.Variable, src []byte) error {
		t, err := v.Value()
		if err != nil {
			return err
		}
		return t.MutableBytes(func(dst []byte) { copy(dst, src) })
	})
}

package delphes

import (
	"fmt"
	"reflect"
	"sort"

	"go-hep.org/x/hep/groot/rbytes"
	"go-hep.org/x/hep/groot/riofs"
	"go-hep.org/x/hep/groot/rtree"
	"go-hep.org/x/hep/groot/rtypes"
)

// rootFile is an open ROOT file with what decoding its trees needs.
type rootFile struct {
	rf    *riofs.File
	src   *basketSource
	guard *streamerGuard
}

// openTrees opens path (see openROOT) for decoding its trees.
func openTrees(path string) (*rootFile, error) {
	rf, err := openROOT(path)
	if err != nil {
		return nil, err
	}
	src := &basketSource{f: rf}
	if st, err := rf.Stat(); err == nil && st.Size() > 0 {
		src.size = st.Size()
	}
	return &rootFile{rf: rf, src: src, guard: newStreamerGuard(rf)}, nil
}

// treeType is the interface of the objects go-hep decodes trees into.
var treeType = reflect.TypeFor[rtree.Tree]()

// treeKeys returns the keys of the top directory that hold trees (TTree, TNtuple, ...), sorted
// by name, then cycle.
func (r *rootFile) treeKeys() []*riofs.Key {
	var keys []*riofs.Key
	all := r.rf.Keys()
	for i := range all {
		k := &all[i]
		if t := k.ObjectType(); t != nil && t.Implements(treeType) {
			keys = append(keys, k)
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i].Name() != keys[j].Name() {
			return keys[i].Name() < keys[j].Name()
		}
		return keys[i].Cycle() < keys[j].Cycle()
	})
	return keys
}

// tree decodes the tree named name, its highest cycle.
func (r *rootFile) tree(name string) (rtree.Tree, error) {
	var last *riofs.Key
	for _, k := range r.treeKeys() {
		if k.Name() == name {
			last = k
		}
	}
	if last == nil {
		return nil, fmt.Errorf("no %s tree in the file", name)
	}
	t, err := r.load(last)
	if err != nil {
		return nil, fmt.Errorf("tree %s;%d: %w", name, last.Cycle(), err)
	}
	return t, nil
}

// load decodes the tree stored under k, as riofs.Key.Object does, but reading and
// decompressing the record itself (so that its checksums are verified) and with the streamer
// guard as StreamerInfo context. Failures are classified.
func (r *rootFile) load(k *riofs.Key) (t rtree.Tree, err error) {
	defer func() {
		if e := recover(); e != nil {
			t, err = nil, classifyPanic(e)
		}
	}()
	var raw, inflated []byte
	where := fmt.Sprintf("record at byte %d", k.SeekKey())
	rec, err := r.src.readRecord(&raw, k.SeekKey(), int64(k.Nbytes()))
	if err != nil {
		return nil, located(where, err)
	}
	keylen := int(k.KeyLen())
	if keylen <= 0 || keylen > len(rec) {
		return nil, located(where, withKind(ErrCorrupt, fmt.Errorf("key of %d bytes in a record of %d", keylen, len(rec))))
	}
	buf, err := r.src.dec.inflate(&inflated, rec[keylen:], int(k.ObjLen()))
	if err != nil {
		return nil, located(where, err)
	}
	obj := rtypes.Factory.Get(k.ClassName())().Interface()
	t, ok := obj.(rtree.Tree)
	if !ok {
		return nil, withKind(ErrUnsupported, fmt.Errorf("class %s is not a tree", k.ClassName()))
	}
	u, ok := obj.(rbytes.Unmarshaler)
	if !ok {
		return nil, withKind(ErrUnsupported, fmt.Errorf("class %s cannot be decoded", k.ClassName()))
	}
	if err := u.UnmarshalROOT(rbytes.NewRBuffer(buf, nil, uint32(keylen), r.guard)); err != nil {
		return nil, classify(err)
	}
	if sf, ok := obj.(riofs.SetFiler); ok {
		sf.SetFile(r.rf)
	}
	return t, nil
}

// unsupportedBranch says why the classes of br (an object branch) were replaced by stand-ins
// while its tree was decoded, "" when they were not.
func (r *rootFile) unsupportedBranch(br rtree.Branch) string {
	for _, class := range branchClasses(br) {
		if why, ok := r.guard.replaced[class]; ok {
			return why
		}
	}
	return ""
}

// Close closes the file.
func (r *rootFile) Close() error {
	r.src.dec.close()
	return r.rf.Close()
}

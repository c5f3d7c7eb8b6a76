package delphes

import (
	"fmt"
	"reflect"

	"go-hep.org/x/hep/groot/rtree"
)

// basketRef locates one basket of a branch: on disk (seek, nbytes) or held in the tree
// object (held non-nil), with the entries [first, end) it holds.
type basketRef struct {
	seek   int64
	nbytes int32
	first  int64
	end    int64
	held   *heldBasket
}

// heldBasket is a basket that was never flushed to its own key: ROOT streams it, raw data
// included, inside the TTree object ("recovered basket"), and go-hep decodes it with the tree.
type heldBasket struct {
	buf     []byte  // raw entry data; positions are absolute (they include the key length)
	offsets []int32 // entry start positions, nil for fixed-size entries
	keylen  int
	nevsize int
	nevbuf  int
	last    int
}

// branchMeta is what the reader needs to know about one branch.
type branchMeta struct {
	name           string
	entryOffsetLen int
	entries        int64
	baskets        []basketRef
}

// readBranchMeta extracts the basket table of br: where each basket lies in the file and
// which entries it holds, plus the baskets ROOT kept inside the tree object.
//
// rtree decodes these TBranch fields (fBasketSeek, fBasketBytes, fBasketEntry, fBaskets) when it
// reads the tree but does not export them; they are read here, without modifying anything,
// through reflection on the decoded branch value.
func readBranchMeta(br rtree.Branch) (meta branchMeta, err error) {
	defer func() {
		if e := recover(); e != nil {
			err = fmt.Errorf("branch %s: unreadable basket table: %v", br.Name(), e)
		}
	}()
	meta.name = br.Name()
	v, err := branchValue(br)
	if err != nil {
		return meta, err
	}
	field := func(name string) reflect.Value {
		f := v.FieldByName(name)
		if !f.IsValid() {
			panic(fmt.Sprintf("no field %s in %T", name, br))
		}
		return f
	}
	meta.entryOffsetLen = int(field("entryOffsetLen").Int())
	meta.entries = field("entries").Int()
	writeBasket := int(field("writeBasket").Int())
	bytes, entry, seek := field("basketBytes"), field("basketEntry"), field("basketSeek")
	if writeBasket < 0 || writeBasket > bytes.Len() || writeBasket > seek.Len() || writeBasket >= entry.Len() && writeBasket > 0 {
		return meta, fmt.Errorf("branch %s: invalid basket count %d", br.Name(), writeBasket)
	}
	for i := 0; i < writeBasket; i++ {
		ref := basketRef{
			seek:   seek.Index(i).Int(),
			nbytes: int32(bytes.Index(i).Int()),
			first:  entry.Index(i).Int(),
			end:    entry.Index(i + 1).Int(),
		}
		if i+1 == writeBasket && ref.end < ref.first {
			ref.end = meta.entries
		}
		if ref.seek <= 0 || ref.nbytes <= 0 || ref.end < ref.first {
			return meta, fmt.Errorf("branch %s: invalid basket %d (at byte %d, %d bytes, entries %d..%d)",
				br.Name(), i, ref.seek, ref.nbytes, ref.first, ref.end)
		}
		meta.baskets = append(meta.baskets, ref)
	}
	next := int64(0)
	if n := len(meta.baskets); n > 0 {
		next = meta.baskets[n-1].end
	}
	held := field("baskets")
	for i := 0; i < held.Len(); i++ {
		hb := describeHeld(held.Index(i))
		if hb.nevbuf == 0 {
			continue
		}
		meta.baskets = append(meta.baskets, basketRef{first: next, end: next + int64(hb.nevbuf), held: hb})
		next += int64(hb.nevbuf)
	}
	if next != meta.entries {
		return meta, fmt.Errorf("branch %s: baskets hold %d entries, branch has %d", br.Name(), next, meta.entries)
	}
	return meta, nil
}

// branchValue is the decoded go-hep struct behind br.
func branchValue(br rtree.Branch) (reflect.Value, error) {
	v := reflect.ValueOf(br)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return v, fmt.Errorf("branch %s: nil branch", br.Name())
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return v, fmt.Errorf("branch %s: unsupported branch type %T", br.Name(), br)
	}
	return v, nil
}

// branchClasses returns the classes an object branch (TBranchElement) holds: its class and,
// for a TClonesArray, the class of the elements. Other branches hold none. Like the basket
// table, these decoded fields are not exported by rtree and are read through reflection.
func branchClasses(br rtree.Branch) []string {
	v, err := branchValue(br)
	if err != nil {
		return nil
	}
	var classes []string
	for _, name := range []string{"class", "clones"} {
		if f := v.FieldByName(name); f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
			classes = append(classes, f.String())
		}
	}
	return classes
}

// describeHeld reads the decoded fields of an rtree.Basket held in the tree object.
func describeHeld(b reflect.Value) *heldBasket {
	key := b.FieldByName("key")
	hb := &heldBasket{
		buf:     key.FieldByName("buf").Bytes(),
		keylen:  int(key.FieldByName("keylen").Int()),
		nevsize: int(b.FieldByName("nevsize").Int()),
		nevbuf:  int(b.FieldByName("nevbuf").Int()),
		last:    int(b.FieldByName("last").Int()),
	}
	if off := b.FieldByName("offsets"); off.Len() > 0 {
		hb.offsets = make([]int32, off.Len())
		for i := range hb.offsets {
			hb.offsets[i] = int32(off.Index(i).Int())
		}
	}
	return hb
}

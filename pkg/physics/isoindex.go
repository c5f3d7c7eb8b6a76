package physics

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// IsoIndex is an isolation map indexed for fast cone queries. Its entries are sorted by η,
// so a query visits only the entries whose Δη² is below R² (found by binary search), and
// tests each with the exact cone rule of PFIso. The pts in the cone are then summed in
// the map's original order with PairwiseSum, so every result is bit for bit the result of
// the straightforward loop (PFIso, PFIsoFolded).
//
// An IsoIndex keeps its storage from one Build to the next; it is not safe for concurrent
// use (queries use scratch space).
type IsoIndex struct {
	eta   []float64 // η sorted ascending (NaN first)
	phi   []float64 // φ, same order as eta
	idx   []int32   // map index, same order as eta
	pt    []float64 // pt in map order
	marks []uint64  // scratch: bitmap of the map indices in the cone, all zero between queries
	vals  []float64 // scratch: their pts in map order
	sort  []indexEntry

	firstNum int     // position of the first non-NaN η
	etaLo    float64 // smallest η
	bucketW  float64 // width of an η bucket
	bucket   []int   // bucket[b]: first position with η >= etaLo + b*bucketW; bucket[nb] = len
}

type indexEntry struct {
	eta, phi float64
	idx      int32
}

// Build indexes the map m (copying it: m may change afterwards).
func (x *IsoIndex) Build(m *IsoMap) {
	n := m.Len()
	x.sort = x.sort[:0]
	for i := 0; i < n; i++ {
		x.sort = append(x.sort, indexEntry{eta: m.Eta[i], phi: m.Phi[i], idx: int32(i)})
	}
	// cmp.Compare orders NaN first: those entries fail every cone test and the binary
	// searches below leave them out.
	slices.SortFunc(x.sort, func(a, b indexEntry) int { return cmp.Compare(a.eta, b.eta) })
	x.eta, x.phi, x.idx = x.eta[:0], x.phi[:0], x.idx[:0]
	for _, e := range x.sort {
		x.eta = append(x.eta, e.eta)
		x.phi = append(x.phi, e.phi)
		x.idx = append(x.idx, e.idx)
	}
	x.pt = append(x.pt[:0], m.Pt...)
	x.buildBuckets()
	nw := (n + 63) / 64
	if cap(x.marks) < nw {
		x.marks = make([]uint64, nw)
	}
	x.marks = x.marks[:nw]
	clear(x.marks)
}

// Len is the number of entries.
func (x *IsoIndex) Len() int { return len(x.pt) }

// PFIso is the isolation of p (see PFIso and PFIsoFolded for the rules).
func (x *IsoIndex) PFIso(p FourVector, r float64, subtract bool, rule PhiRule) float64 {
	return x.Iso(p.Pt(), p.Eta(), p.Phi(), r, subtract, rule)
}

// Iso is PFIso for a particle whose four-vector has the given Pt(), Eta() and Phi(), for
// callers that query several maps with the same particle.
func (x *IsoIndex) Iso(pt, eta, phi, r float64, subtract bool, rule PhiRule) float64 {
	if pt <= 0 {
		return 0
	}
	sum := x.ConeSum(eta, phi, r, rule)
	iso := sum / pt
	if subtract {
		iso--
	}
	return iso
}

// ConeSum is the sum, as numpy computes it, of the pts of the entries in the cone of
// radius r around (eta, phi), in map order.
func (x *IsoIndex) ConeSum(eta, phi, r float64, rule PhiRule) float64 {
	r2 := r * r
	marks := x.marks
	wlo, whi := len(marks), -1
	if eta == eta { // not NaN
		// The marks go into a bitmap over map indices; reading it back word by word gives
		// the hits in map order without sorting.
		etas, phis, idx := x.eta, x.phi[:len(x.eta)], x.idx[:len(x.eta)]
		for k := x.start(eta - r); k < len(etas); k++ {
			deta := etas[k] - eta
			if deta > 0 && !(float64(deta*deta) < r2) {
				break // η_k - eta only grows from here
			}
			var dphi float64
			if rule == PhiQuirk {
				dphi = quirkDPhi(phis[k] - phi)
			} else {
				dphi = FoldPhi(phis[k] - phi)
			}
			// Entries below the window (Δη < 0, Δη² >= r2) fail here: Δφ² + Δη² >= Δη².
			if float64(dphi*dphi)+float64(deta*deta) < r2 {
				w := int(idx[k] >> 6)
				marks[w] |= 1 << (uint(idx[k]) & 63)
				wlo, whi = min(wlo, w), max(whi, w)
			}
		}
	}
	if whi < 0 {
		x.vals = x.vals[:0]
		return 0
	}
	vals := x.vals[:0]
	for w := wlo; w <= whi; w++ {
		m := marks[w]
		marks[w] = 0
		for m != 0 {
			vals = append(vals, x.pt[w<<6|bits.TrailingZeros64(m)])
			m &= m - 1
		}
	}
	x.vals = vals
	return PairwiseSum(vals)
}

// start returns a sorted position at or before the first entry with η >= low, from the
// bucket table (one bucket of slack absorbs rounding); entries before it have η well below
// low. NaN entries (sorted first) are skipped.
func (x *IsoIndex) start(low float64) int {
	nb := len(x.bucket) - 1
	if nb <= 0 || !(low > x.etaLo) {
		return x.firstNum
	}
	f := (low-x.etaLo)/x.bucketW - 1
	if !(f < float64(nb)) {
		return x.bucket[nb]
	}
	return x.bucket[int(f)]
}

// buildBuckets fills the bucket table over the sorted η, about two entries per bucket.
func (x *IsoIndex) buildBuckets() {
	e := x.eta
	x.firstNum = 0
	for x.firstNum < len(e) && e[x.firstNum] != e[x.firstNum] {
		x.firstNum++
	}
	x.bucket = x.bucket[:0]
	if x.firstNum == len(e) {
		return
	}
	lo, hi := e[x.firstNum], e[len(e)-1]
	nb := (len(e)-x.firstNum)/2 + 1
	w := (hi - lo) / float64(nb)
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || !(w > 0) || math.IsInf(w, 0) {
		return // no table: queries scan from the first number
	}
	x.etaLo, x.bucketW = lo, w
	k := x.firstNum
	for b := 0; b < nb; b++ {
		edge := lo + float64(b)*w
		for k < len(e) && e[k] < edge {
			k++
		}
		x.bucket = append(x.bucket, k)
	}
	x.bucket = append(x.bucket, len(e))
}

package synth

import (
	"math"
	"sort"
	"testing"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

// hlf returns high-level features of the selected lepton, or false when no lepton passes.
func hlf(ev *delphes.Event) ([]float64, bool) {
	lpt, leta, lphi, iso, ch, ok := isolatedLepton(ev)
	if !ok {
		return nil, false
	}
	met, mphi := float64(ev.MissingET.MET[0]), float64(ev.MissingET.Phi[0])
	var ht, nj, nb float64
	for i, pt := range ev.Jet.PT {
		if pt > 30 && math.Abs(float64(ev.Jet.Eta[i])) < 2.6 {
			ht += float64(pt)
			nj++
			if ev.Jet.BTag[i] > 0 {
				nb++
			}
		}
	}
	mt := 2 * met * lpt * (1 - math.Cos(lphi-mphi))
	return []float64{ht, met, mt, nj, nb, lpt, math.Abs(leta), iso, float64(ch)}, true
}

// auc is the area under the ROC curve of scores sig (positives) against bkg.
func auc(sig, bkg []float64) float64 {
	type p struct {
		v float64
		s bool
	}
	var all []p
	for _, v := range sig {
		all = append(all, p{v, true})
	}
	for _, v := range bkg {
		all = append(all, p{v, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v < all[j].v })
	var nb, sum float64
	for i := 0; i < len(all); {
		j := i
		var ns, nbk float64
		for j < len(all) && all[j].v == all[i].v {
			if all[j].s {
				ns++
			} else {
				nbk++
			}
			j++
		}
		sum += ns * (nb + nbk/2)
		nb += nbk
		i = j
	}
	return sum / (float64(len(sig)) * nb)
}

// TestSeparability checks that the classes are separable but not trivially: a naive-Bayes
// classifier on the high-level features (trained on half the events, tested on the other
// half) must reach a one-vs-rest AUC above 0.9 and below 0.995 for every class.
func TestSeparability(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical test")
	}
	const n = 6000
	feats := map[Class][][]float64{}
	for _, c := range AllClasses() {
		g := NewGenerator(c, 7)
		var ev delphes.Event
		for k := 0; k < n; k++ {
			g.Next(&ev)
			if f, ok := hlf(&ev); ok {
				feats[c] = append(feats[c], f)
			}
		}
	}
	names := []string{"ht", "met", "mt", "nj", "nb", "lpt", "aeta", "iso", "ch"}
	col := func(c Class, k int) []float64 {
		var out []float64
		for _, f := range feats[c] {
			out = append(out, f[k])
		}
		return out
	}
	for k, nm := range names {
		t.Logf("single feature AUC %-5s tt/w %.3f tt/qcd %.3f w/qcd %.3f", nm, auc(col(TTbar, k), col(WJets, k)), auc(col(TTbar, k), col(QCD, k)), auc(col(WJets, k), col(QCD, k)))
	}
	// naive Bayes with binned likelihoods, trained on even rows, tested on odd rows
	edges := make([][]float64, len(names))
	for k := range names {
		var all []float64
		for _, c := range AllClasses() {
			all = append(all, col(c, k)...)
		}
		sort.Float64s(all)
		for q := 1; q < 20; q++ {
			edges[k] = append(edges[k], all[q*len(all)/20])
		}
	}
	bin := func(k int, v float64) int { return sort.SearchFloat64s(edges[k], v) }
	hist := map[Class][][]float64{}
	for _, c := range AllClasses() {
		h := make([][]float64, len(names))
		for k := range h {
			h[k] = make([]float64, 21)
			for b := range h[k] {
				h[k][b] = 1
			}
		}
		for i, f := range feats[c] {
			if i%2 == 0 {
				for k, v := range f {
					h[k][bin(k, v)]++
				}
			}
		}
		for k := range h {
			var s float64
			for _, x := range h[k] {
				s += x
			}
			for b := range h[k] {
				h[k][b] /= s
			}
		}
		hist[c] = h
	}
	score := func(f []float64, c Class) float64 {
		var lp [3]float64
		for _, cc := range AllClasses() {
			for k, v := range f {
				lp[cc] += math.Log(hist[cc][k][bin(k, v)])
			}
		}
		mx := math.Max(lp[0], math.Max(lp[1], lp[2]))
		var z float64
		for _, l := range lp {
			z += math.Exp(l - mx)
		}
		return math.Exp(lp[c]-mx) / z
	}
	for _, c := range AllClasses() {
		var s, b []float64
		for _, cc := range AllClasses() {
			for i, f := range feats[cc] {
				if i%2 == 1 {
					if cc == c {
						s = append(s, score(f, c))
					} else {
						b = append(b, score(f, c))
					}
				}
			}
		}
		a := auc(s, b)
		t.Logf("naive Bayes %s vs rest AUC %.4f (%d selected events)", c, a, len(feats[c]))
		if a < 0.9 || a > 0.995 {
			t.Errorf("%s vs rest AUC %.4f, want in (0.9, 0.995)", c, a)
		}
	}
}

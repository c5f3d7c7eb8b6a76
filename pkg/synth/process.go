package synth

import "math"

// Masses and widths (GeV).
const (
	mW, gammaW     = 80.4, 2.1
	mTop, gammaTop = 172.5, 1.4
	mB             = 4.8
)

// passesFilter is the generator-level lepton filter: a lepton with pt > 20 inside the
// electron or muon acceptance.
func (g *Generator) passesFilter() bool {
	for _, l := range g.leps {
		acc := trackerEta
		if l.muon {
			acc = muonEta
		}
		if l.pt > filterMinPT && math.Abs(l.eta) < acc {
			return true
		}
	}
	return false
}

// jetEta draws a jet pseudorapidity, central-peaked, within |eta| < 4.5.
func (g *Generator) jetEta(width float64) float64 {
	return math.Max(-4.5, math.Min(4.5, width*g.rng.NormFloat64()))
}

// isr appends n initial-state-radiation jets and returns their transverse vector sum.
func (g *Generator) isr(n int, ptMean float64, pB, pC float64) (sx, sy float64) {
	for i := 0; i < n; i++ {
		pt := 15 + ptMean*g.rng.ExpFloat64()
		phi := math.Pi * (2*g.rng.Float64() - 1)
		flav := int8(light)
		switch u := g.rng.Float64(); {
		case u < pB:
			flav = bottom
		case u < pB+pC:
			flav = charm
		}
		j := g.newJet(pt, g.jetEta(1.8), phi, flav)
		g.jets = append(g.jets, j)
		sx += pt * math.Cos(phi)
		sy += pt * math.Sin(phi)
	}
	return sx, sy
}

// addParton appends a jet from a final-state quark.
func (g *Generator) addParton(p p4, flav int8) {
	pt := p.pt()
	if pt < 1 {
		return
	}
	g.jets = append(g.jets, g.newJet(pt, p.eta(), p.phi(), flav))
}

// addLepton appends a prompt lepton from a W decay.
func (g *Generator) addLepton(p p4, charge int8, muon bool) {
	g.leps = append(g.leps, lepSeed{pt: p.pt(), eta: p.eta(), phi: p.phi(), charge: charge, muon: muon, prompt: true, vtx: g.pv})
}

// finishJets gives every heavy-flavour jet without a forced decay its chance of a
// semileptonic one.
func (g *Generator) finishJets() {
	for i := range g.jets {
		g.maybeSemileptonic(&g.jets[i])
	}
}

// wjetsISR is the cumulative probability of 0, 1, 2, 3 ISR jets in W+jets events.
var wjetsISR = [4]float64{0.22, 0.52, 0.78, 0.92}

// wjets: W boson recoiling against 0-4 ISR jets, W -> l nu.
func (g *Generator) wjets() {
	for try := 0; ; try++ {
		g.jets, g.leps = g.jets[:0], g.leps[:0]
		n := 0 // ISR multiplicity: 0-4 jets
		for u := g.rng.Float64(); n < 4 && u > wjetsISR[n]; n++ {
		}
		sx, sy := g.isr(n, 40, 0.05, 0.12)
		wx, wy := -sx+6*g.rng.NormFloat64(), -sy+6*g.rng.NormFloat64()
		m := g.breitWigner(mW, gammaW, 60, 100)
		y := 1.3 * g.rng.NormFloat64()
		w := fromPtYPhiM(math.Hypot(wx, wy), y, math.Atan2(wy, wx), m)
		l, _ := decay2(w, 0, 0, g.rng.Float64(), g.rng.Float64())
		charge := int8(-1)
		if g.rng.Float64() < 0.58 { // W+ : W- ~ 1.4 at the LHC
			charge = 1
		}
		g.addLepton(l, charge, g.rng.Float64() < 0.5)
		if g.passesFilter() || try >= maxFilterTry {
			break
		}
	}
	g.finishJets()
}

// ttbar: t tbar -> b W+ bbar W-, one W (or, in 18% of events, both) decaying to a lepton,
// the other to a quark pair (c s in half of them), plus ISR jets.
func (g *Generator) ttbar() {
	for try := 0; ; try++ {
		g.jets, g.leps = g.jets[:0], g.leps[:0]
		n := min(g.poisson(0.8), 3)
		sx, sy := g.isr(n, 35, 0.01, 0.05)
		tx, ty := -sx+5*g.rng.NormFloat64(), -sy+5*g.rng.NormFloat64()
		mtt := 2*mTop + 15 + 110*g.rng.ExpFloat64()
		sys := fromPtYPhiM(math.Hypot(tx, ty), 0.9*g.rng.NormFloat64(), math.Atan2(ty, tx), mtt)
		m1, m2 := g.breitWigner(mTop, gammaTop, 165, 180), g.breitWigner(mTop, gammaTop, 165, 180)
		t1, t2 := decay2(sys, m1, m2, g.rng.Float64(), g.rng.Float64())
		dilepton := g.rng.Float64() < 0.18
		first := g.rng.Uint64()&1 == 0 // which top decays leptonically
		for k, t := range [2]p4{t1, t2} {
			charge := int8(1) // t -> b W+, tbar -> bbar W-
			if k == 1 {
				charge = -1
			}
			b, w := decay2(t, mB, g.breitWigner(mW, gammaW, 65, 95), g.rng.Float64(), g.rng.Float64())
			g.addParton(b, bottom)
			q1, q2 := decay2(w, 0, 0, g.rng.Float64(), g.rng.Float64())
			if dilepton || (k == 0) == first {
				g.addLepton(q1, charge, g.rng.Float64() < 0.5)
				continue
			}
			flav := int8(light)
			if g.rng.Float64() < 0.5 {
				flav = charm
			}
			g.addParton(q1, flav)
			g.addParton(q2, light)
		}
		if g.passesFilter() || try >= maxFilterTry {
			break
		}
	}
	g.finishJets()
}

// qcd: 2-4 jets with a steeply falling pt spectrum; one of the two leading jets is a b or c
// jet whose hadron decays semileptonically, the lepton inside the jet (filtered to pt > 20).
func (g *Generator) qcd() {
	for try := 0; ; try++ {
		g.jets, g.leps = g.jets[:0], g.leps[:0]
		n := 2
		switch u := g.rng.Float64(); {
		case u > 0.85:
			n = 4
		case u > 0.5:
			n = 3
		}
		p1 := math.Min(25*math.Pow(g.rng.Float64(), -1/3.2), 3000)
		phi1 := math.Pi * (2*g.rng.Float64() - 1)
		hf := g.rng.IntN(2)
		flav := func(i int) int8 {
			if i == hf {
				if g.rng.Float64() < 0.75 {
					return bottom
				}
				return charm
			}
			if i < 2 && g.rng.Float64() < 0.5 {
				return g.jets[hf].flav // pair production: both leading jets heavy
			}
			if g.rng.Float64() < 0.04 {
				return bottom // gluon splitting
			}
			return light
		}
		// Leading jet, extra jets, then the recoiling jet that balances them.
		ptsx, ptsy := p1*math.Cos(phi1), p1*math.Sin(phi1)
		lead := g.newJet(p1, g.jetEta(1.6), phi1, light)
		g.jets = append(g.jets, lead, jetSeed{})
		for i := 2; i < n; i++ {
			pt := p1 * (0.12 + 0.45*g.rng.Float64())
			phi := phi1 + math.Pi + 1.3*g.rng.NormFloat64()
			g.jets = append(g.jets, g.newJet(pt, g.jetEta(1.8), phi, light))
			ptsx += pt * math.Cos(phi)
			ptsy += pt * math.Sin(phi)
		}
		rx, ry := -ptsx+8*g.rng.NormFloat64(), -ptsy+8*g.rng.NormFloat64()
		g.jets[1] = g.newJet(math.Hypot(rx, ry), g.jetEta(1.6), math.Atan2(ry, rx), light)
		// Flavours, now that the kinematics are known (the vertex depends on both).
		order := [2]int{hf, 1 - hf}
		for _, i := range order {
			j := &g.jets[i]
			if f := flav(i); f != light {
				*j = g.newJet(j.pt, j.eta, j.phi, f)
			}
		}
		for i := 2; i < n; i++ {
			j := &g.jets[i]
			if f := flav(i); f != light {
				*j = g.newJet(j.pt, j.eta, j.phi, f)
			}
		}
		// Forced semileptonic decay of the heavy hadron: it carries zh of the parton,
		// the lepton a share y of it.
		j := &g.jets[hf]
		zh := 0.55 + 0.42*math.Sqrt(g.rng.Float64())
		if j.flav == charm {
			zh = 0.4 + 0.5*math.Sqrt(g.rng.Float64())
		}
		y := 0.9 * math.Pow(g.rng.Float64(), 1.4)
		zl := zh * y
		zn := zh * (1 - y) * g.rng.Float64()
		g.leps = append(g.leps, g.semileptonic(j, zl, zn))
		if g.passesFilter() || try >= maxFilterTry {
			break
		}
	}
	g.finishJets()
}

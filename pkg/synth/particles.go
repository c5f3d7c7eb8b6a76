package synth

import (
	"math"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

// newJet returns a jet seed of the given parton kinematics and flavour, with its heavy-hadron
// decay vertex drawn for b and c jets.
func (g *Generator) newJet(pt, eta, phi float64, flav int8) jetSeed {
	j := jetSeed{pt: pt, eta: eta, phi: wrapPhi(phi), flav: flav, vis: 1, sv: g.pv}
	if flav == light {
		return j
	}
	// Flight distance: beta-gamma c-tau of a hadron carrying ~70% of the parton momentum.
	mass, ctau := 5.28, 0.455
	if flav == charm {
		mass, ctau = 1.87, 0.2
	}
	p := 0.7 * pt * math.Cosh(eta)
	l := math.Min(p/mass*ctau*g.rng.ExpFloat64(), maxFlight)
	st := 1 / math.Cosh(eta) // sin(theta)
	s, c := math.Sincos(phi)
	j.sv = [3]float64{g.pv[0] + l*st*c, g.pv[1] + l*st*s, g.pv[2] + l*math.Tanh(eta)}
	return j
}

// semileptonic makes the heavy hadron of jet j decay into a lepton carrying a fraction zl of
// the parton pt and a neutrino carrying zn; the lepton leaves from the decay vertex, close to
// the jet axis. It returns the lepton.
func (g *Generator) semileptonic(j *jetSeed, zl, zn float64) lepSeed {
	r := math.Min(g.rng.ExpFloat64()*2.5/math.Max(zl*j.pt, 1), 0.4)
	s, c := math.Sincos(2 * math.Pi * g.rng.Float64())
	j.vis = math.Max(1-zl-zn, 0.02)
	j.lepPT = zl * j.pt
	return lepSeed{
		pt: zl * j.pt, eta: j.eta + r*c, phi: wrapPhi(j.phi + r*s),
		charge: int8(g.charge()), muon: g.rng.Float64() < 0.5, vtx: j.sv,
	}
}

// maybeSemileptonic gives heavy-flavour jets their ~20% semileptonic decays (no filter).
func (g *Generator) maybeSemileptonic(j *jetSeed) {
	if j.flav == light || j.vis < 1 || g.rng.Float64() > 0.2 {
		return
	}
	zl := 0.35 * g.rng.Float64() * (0.5 + 0.5*g.rng.Float64())
	zn := 0.5 * zl * g.rng.Float64()
	g.leps = append(g.leps, g.semileptonic(j, zl, zn))
}

// emitJet writes the particles of a jet and, above threshold, its Jet entry. The hadronic
// pt (measured with a resolution of ~10% at 100 GeV) is shared among charged hadrons
// (tracks, from the decay vertex for about half of them in heavy-flavour jets), photons and
// neutral hadrons, spread around the axis with a core of ~0.05 in eta-phi.
func (g *Generator) emitJet(ev *delphes.Event, j *jetSeed) {
	sigma := math.Sqrt(0.05*0.05 + 0.8/math.Max(j.pt, 1))
	resp := math.Min(math.Max(1+sigma*g.rng.NormFloat64(), 0.4), 1.6)
	had := j.pt * j.vis * resp
	fc := math.Min(math.Max(0.62+0.12*g.rng.NormFloat64(), 0.2), 0.92)
	fg := (1 - fc) * (0.5 + 0.3*g.rng.Float64())
	fn := 1 - fc - fg
	core := 0.03 + 1.5/math.Max(j.pt, 10)

	nc := 1 + g.poisson(1.5+0.12*had)
	g.spread(nc, had*fc)
	displaced := j.flav != light
	for i := 0; i < nc; i++ {
		pt := g.w[i]
		eta, phi := g.around(j.eta, j.phi, core)
		if math.Abs(eta) >= trackerEta { // outside the tracker: seen by the calorimeter
			if math.Abs(eta) < caloEta && pt > towerMinET {
				g.addTower(&ev.EFlowNeutralHadron, pt, eta, phi)
			}
			continue
		}
		vtx := g.pv
		if displaced && g.rng.Float64() < 0.5 {
			vtx = j.sv
		}
		g.addTrack(ev, pt, eta, phi, vtx, g.hadronPID(g.charge()))
	}
	ng := 1 + g.poisson(1+0.07*had)
	g.spread(ng, had*fg)
	for i := 0; i < ng; i++ {
		eta, phi := g.around(j.eta, j.phi, core)
		if g.w[i] > towerMinET && math.Abs(eta) < caloEta {
			g.addTower(&ev.EFlowPhoton, g.w[i], eta, phi)
		}
	}
	nn := 1 + g.poisson(0.5+0.04*had)
	g.spread(nn, had*fn)
	for i := 0; i < nn; i++ {
		eta, phi := g.around(j.eta, j.phi, 1.5*core)
		if g.w[i] > towerMinET && math.Abs(eta) < caloEta {
			g.addTower(&ev.EFlowNeutralHadron, g.w[i], eta, phi)
		}
	}

	pt := had + j.lepPT
	if pt > jetMinPT && math.Abs(j.eta) < caloEta {
		g.jetOuts = append(g.jetOuts, jetOut{float32(pt), float32(j.eta), g.btag(j.flav, j.eta)})
	}
}

// spread fills g.w[:n] with n shares of total drawn from a flat Dirichlet distribution.
func (g *Generator) spread(n int, total float64) {
	if cap(g.w) < n {
		g.w = make([]float64, n, 2*n)
	}
	g.w = g.w[:n]
	var sum float64
	for i := range g.w {
		g.w[i] = g.rng.ExpFloat64()
		sum += g.w[i]
	}
	f := total / sum
	for i := range g.w {
		g.w[i] *= f
	}
}

// around draws a direction at an exponential distance (mean core, at most 0.4) from (eta, phi).
func (g *Generator) around(eta, phi, core float64) (float64, float64) {
	r := core * g.rng.ExpFloat64()
	if r > 0.4 {
		r = 0.4 * g.rng.Float64()
	}
	s, c := math.Sincos(2 * math.Pi * g.rng.Float64())
	return eta + r*c, phi + r*s
}

// emitSoft writes the underlying event (from the primary vertex) and the pileup
// interactions (each at its own vertex): uniform in eta, soft exponential pt.
func (g *Generator) emitSoft(ev *delphes.Event) {
	g.softVertex(ev, g.pv, 22, 7, 7)
	mu := 16 + 28*g.rng.Float64() + 10*g.rng.ExpFloat64()
	npu := g.poisson(mu)
	for i := 0; i < npu; i++ {
		vtx := [3]float64{beamSpotXY * g.rng.NormFloat64(), beamSpotXY * g.rng.NormFloat64(), beamSpotZ * g.rng.NormFloat64()}
		g.softVertex(ev, vtx, 6.5, 1.7, 2.1)
	}
}

func (g *Generator) softVertex(ev *delphes.Event, vtx [3]float64, tracks, photons, neutrals float64) {
	for n := g.poisson(tracks); n > 0; n-- {
		pt := 0.3 + 0.8*g.rng.ExpFloat64()
		eta := trackerEta * (2*g.rng.Float64() - 1)
		phi := math.Pi * (2*g.rng.Float64() - 1)
		g.addTrack(ev, pt, eta, phi, vtx, g.hadronPID(g.charge()))
	}
	for n := g.poisson(photons); n > 0; n-- {
		g.addTower(&ev.EFlowPhoton, towerMinET+0.7*g.rng.ExpFloat64(), softEta*(2*g.rng.Float64()-1), math.Pi*(2*g.rng.Float64()-1))
	}
	for n := g.poisson(neutrals); n > 0; n-- {
		g.addTower(&ev.EFlowNeutralHadron, towerMinET+0.9*g.rng.ExpFloat64(), softEta*(2*g.rng.Float64()-1), math.Pi*(2*g.rng.Float64()-1))
	}
}

package synth

import (
	"math"
	"math/rand/v2"

	"github.com/godltrigger/godltrigger/pkg/delphes"
)

// Detector and model constants (GeV, mm).
const (
	trackerEta   = 2.5  // tracks, electrons and b-tagging
	muonEta      = 2.4  // muon acceptance
	caloEta      = 4.9  // calorimeter towers
	softEta      = 3.0  // soft towers of the underlying event and pileup
	leptonMinPT  = 10   // leptons below are only tracks
	jetMinPT     = 20   // Jet collection threshold
	towerMinET   = 0.5  // photons and neutral hadrons below are not recorded
	beamSpotXY   = 0.01 // transverse vertex spread
	beamSpotZ    = 50   // longitudinal vertex spread
	maxFlight    = 60   // secondary vertices farther than this are not reconstructed
	filterMinPT  = 20   // generator-level lepton filter
	maxFilterTry = 200  // attempts before the filter gives up and keeps the event
)

// flavour of a jet's initiating parton.
const (
	light  = 0
	charm  = 4
	bottom = 5
)

// jetSeed is a parton of the hard process that becomes a jet.
type jetSeed struct {
	pt, eta, phi float64
	flav         int8
	vis          float64    // fraction of pt carried by hadrons (1 minus the semileptonic decay products)
	lepPT        float64    // pt of a semileptonic lepton clustered into the jet
	sv           [3]float64 // heavy-hadron decay vertex
	tagged       bool
}

// lepSeed is a charged lepton of the hard process or of a heavy-flavour decay.
type lepSeed struct {
	pt, eta, phi float64
	charge       int8
	muon         bool
	prompt       bool
	vtx          [3]float64
}

// jetOut and lepOut are reconstructed objects before sorting by pt.
type jetOut struct {
	pt, eta float32
	btag    uint32
}

type lepOut struct {
	pt, eta, phi float32
	charge       int32
}

// Generator draws events of one class. It is deterministic for a seed and not safe for
// concurrent use; run one Generator per goroutine.
type Generator struct {
	class Class
	rng   *rand.Rand

	pv         [3]float64
	jets       []jetSeed
	leps       []lepSeed
	sumX, sumY float64 // vector sum of every visible object's transverse momentum

	w         []float64
	jetOuts   []jetOut
	eles, mus []lepOut
}

// NewGenerator returns a generator of class events seeded with seed. Two generators with the
// same class and seed produce the same events.
func NewGenerator(class Class, seed int64) *Generator {
	return &Generator{
		class: class,
		rng:   rand.New(rand.NewPCG(uint64(seed), mix64(uint64(class)+0x9e3779b97f4a7c15))),
	}
}

// Class is the class of the events drawn.
func (g *Generator) Class() Class { return g.class }

// Next fills ev with the next event, reusing its slices. ev.Entry is left as is.
func (g *Generator) Next(ev *delphes.Event) {
	resetEvent(ev)
	g.sumX, g.sumY = 0, 0
	g.pv = [3]float64{beamSpotXY * g.rng.NormFloat64(), beamSpotXY * g.rng.NormFloat64(), beamSpotZ * g.rng.NormFloat64()}

	switch g.class {
	case TTbar:
		g.ttbar()
	case WJets:
		g.wjets()
	default:
		g.qcd()
	}

	g.jetOuts = g.jetOuts[:0]
	g.eles, g.mus = g.eles[:0], g.mus[:0]
	for i := range g.leps {
		g.emitLepton(ev, &g.leps[i])
	}
	for i := range g.jets {
		g.emitJet(ev, &g.jets[i])
	}
	g.emitSoft(ev)
	g.finish(ev)
}

func resetEvent(ev *delphes.Event) {
	t := &ev.EFlowTrack
	t.PT, t.Eta, t.Phi, t.X, t.Y, t.Z, t.PID = t.PT[:0], t.Eta[:0], t.Phi[:0], t.X[:0], t.Y[:0], t.Z[:0], t.PID[:0]
	for _, tw := range []*delphes.Towers{&ev.EFlowPhoton, &ev.EFlowNeutralHadron} {
		tw.ET, tw.Eta, tw.Phi = tw.ET[:0], tw.Eta[:0], tw.Phi[:0]
	}
	for _, l := range []*delphes.Leptons{&ev.Electron, &ev.Muon} {
		l.PT, l.Eta, l.Phi, l.Charge = l.PT[:0], l.Eta[:0], l.Phi[:0], l.Charge[:0]
	}
	ev.MissingET.MET, ev.MissingET.Phi = ev.MissingET.MET[:0], ev.MissingET.Phi[:0]
	ev.Jet.PT, ev.Jet.Eta, ev.Jet.BTag = ev.Jet.PT[:0], ev.Jet.Eta[:0], ev.Jet.BTag[:0]
}

// finish writes the sorted leptons and jets and the missing transverse energy.
func (g *Generator) finish(ev *delphes.Event) {
	sortLeps(g.eles)
	for _, l := range g.eles {
		appendLepton(&ev.Electron, l)
	}
	sortLeps(g.mus)
	for _, l := range g.mus {
		appendLepton(&ev.Muon, l)
	}
	js := g.jetOuts
	for i := 1; i < len(js); i++ { // insertion sort, decreasing pt
		for k := i; k > 0 && js[k].pt > js[k-1].pt; k-- {
			js[k], js[k-1] = js[k-1], js[k]
		}
	}
	for _, j := range js {
		ev.Jet.PT = append(ev.Jet.PT, j.pt)
		ev.Jet.Eta = append(ev.Jet.Eta, j.eta)
		ev.Jet.BTag = append(ev.Jet.BTag, j.btag)
	}
	ev.MissingET.MET = append(ev.MissingET.MET, float32(math.Hypot(g.sumX, g.sumY)))
	ev.MissingET.Phi = append(ev.MissingET.Phi, float32(math.Atan2(-g.sumY, -g.sumX)))
}

func sortLeps(ls []lepOut) {
	for i := 1; i < len(ls); i++ {
		for k := i; k > 0 && ls[k].pt > ls[k-1].pt; k-- {
			ls[k], ls[k-1] = ls[k-1], ls[k]
		}
	}
}

func appendLepton(c *delphes.Leptons, l lepOut) {
	c.PT = append(c.PT, l.pt)
	c.Eta = append(c.Eta, l.eta)
	c.Phi = append(c.Phi, l.phi)
	c.Charge = append(c.Charge, l.charge)
}

// addTrack records a track and adds it to the visible sum. The stored float32 values are
// the ones summed, so that MissingET balances the file's content.
func (g *Generator) addTrack(ev *delphes.Event, pt, eta, phi float64, vtx [3]float64, pid int32) {
	t := &ev.EFlowTrack
	p32, e32, f32 := float32(pt), float32(eta), float32(wrapPhi(phi))
	t.PT = append(t.PT, p32)
	t.Eta = append(t.Eta, e32)
	t.Phi = append(t.Phi, f32)
	t.X = append(t.X, float32(vtx[0]))
	t.Y = append(t.Y, float32(vtx[1]))
	t.Z = append(t.Z, float32(vtx[2]))
	t.PID = append(t.PID, pid)
	g.addVisible(float64(p32), float64(f32))
}

func (g *Generator) addTower(tw *delphes.Towers, et, eta, phi float64) {
	e32, f32 := float32(et), float32(wrapPhi(phi))
	tw.ET = append(tw.ET, e32)
	tw.Eta = append(tw.Eta, float32(eta))
	tw.Phi = append(tw.Phi, f32)
	g.addVisible(float64(e32), float64(f32))
}

func (g *Generator) addVisible(pt, phi float64) {
	s, c := math.Sincos(phi)
	g.sumX += pt * c
	g.sumY += pt * s
}

// emitLepton writes a lepton: its track (when inside the tracker), its entry in Electron or
// MuonTight (when reconstructed), and the jet that the jet finder builds around a prompt lepton.
func (g *Generator) emitLepton(ev *delphes.Event, l *lepSeed) {
	aeta := math.Abs(l.eta)
	pid := int32(11)
	if l.muon {
		pid = 13
	}
	if l.charge > 0 { // PDG: e- and mu- are positive codes
		pid = -pid
	}
	phi := wrapPhi(l.phi)
	if aeta < trackerEta {
		g.addTrack(ev, l.pt, l.eta, phi, l.vtx, pid)
	} else if !l.muon && aeta < caloEta {
		g.addTower(&ev.EFlowPhoton, l.pt, l.eta, phi)
	}
	acc := trackerEta
	if l.muon {
		acc = muonEta
	}
	if aeta >= acc || l.pt <= leptonMinPT {
		return
	}
	o := lepOut{float32(l.pt), float32(l.eta), float32(phi), int32(l.charge)}
	if l.muon {
		g.mus = append(g.mus, o)
	} else {
		g.eles = append(g.eles, o)
	}
	if l.prompt { // the lepton's own jet, with a little pileup in its area
		pt := l.pt + math.Max(0, 1.5+g.rng.NormFloat64())
		if pt > jetMinPT {
			g.jetOuts = append(g.jetOuts, jetOut{float32(pt), float32(l.eta), g.btag(light, l.eta)})
		}
	}
}

// btag draws the b-tagging decision for a jet of flavour flav.
func (g *Generator) btag(flav int8, eta float64) uint32 {
	if math.Abs(eta) >= trackerEta {
		return 0
	}
	eff := 0.01
	switch flav {
	case bottom:
		eff = 0.70
	case charm:
		eff = 0.20
	}
	if g.rng.Float64() < eff {
		return 1
	}
	return 0
}

// poisson draws a Poisson number with mean lambda.
func (g *Generator) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		n := math.Round(lambda + math.Sqrt(lambda)*g.rng.NormFloat64())
		return int(math.Max(n, 0))
	}
	l := math.Exp(-lambda)
	n, p := 0, g.rng.Float64()
	for p > l {
		n++
		p *= g.rng.Float64()
	}
	return n
}

// breitWigner draws a mass around m with width w, clamped to [lo, hi].
func (g *Generator) breitWigner(m, w, lo, hi float64) float64 {
	x := m + w/2*math.Tan(math.Pi*(g.rng.Float64()-0.5))
	return math.Min(math.Max(x, lo), hi)
}

// hadronPID draws a charged-hadron PDG code of the given charge (pions, kaons, protons).
func (g *Generator) hadronPID(charge int32) int32 {
	u := g.rng.Float64()
	pid := int32(211)
	switch {
	case u > 0.92:
		pid = 2212
	case u > 0.76:
		pid = 321
	}
	return pid * charge
}

func (g *Generator) charge() int32 {
	if g.rng.Uint64()&1 == 0 {
		return -1
	}
	return 1
}

func mix64(z uint64) uint64 { // splitmix64 finaliser
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

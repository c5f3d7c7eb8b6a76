// Package features computes step 1 of the pipeline for one event: the trigger emulation
// (an isolated electron or muon with pT > 23 GeV), the 801×19 low-level features (the
// lepton, then up to 450 tracks, 150 photons and 200 neutral hadrons, zero-padded) and the
// 14 high-level features, exactly as the original SparkDLTrigger ingestion computed them,
// quirks included (see Options for the corrected variant). The names of the features and
// the sizes of the arrays are package spec's (HLF, Particle, SequenceLength).
//
// Use one Extractor per goroutine:
//
//	x := features.NewExtractor(features.Options{})
//	l := make([]float64, features.NumParticles*features.NumColumns)
//	h := make([]float64, features.NumHLF)
//	if x.Extract(ev, l, h) == features.Selected {
//		// l holds 801 rows of 19 columns (row-major), h the 14 high-level features.
//	}
package features

import "github.com/godltrigger/godltrigger/pkg/spec"

// Sizes of the feature arrays (spec's, under the names step 1 uses).
const (
	NumParticles = spec.SequenceLength      // rows of lfeatures
	NumColumns   = spec.NumParticleFeatures // columns of a row
	NumHLF       = spec.NumHLF              // high-level features
	MaxTracks    = spec.MaxTracks
	MaxPhotons   = spec.MaxPhotons
	MaxNeutrals  = spec.MaxNeutrals
)

// Columns of a low-level feature row, indices into spec.Particle.
const (
	ColEnergy = iota
	ColPx
	ColPy
	ColPz
	ColPt
	ColEta
	ColPhi
	ColVtxX
	ColVtxY
	ColVtxZ
	ColChPFIso
	ColGammaPFIso
	ColNeuPFIso
	ColIsChHad
	ColIsNeuHad
	ColIsGamma
	ColIsEle
	ColIsMu
	ColCharge
)

// Indices of the high-level features, into spec.HLF.
const (
	HLFHT = iota
	HLFMET
	HLFPhiMET
	HLFMT
	HLFNJets
	HLFNBjets
	HLFLepPt
	HLFLepEta
	HLFLepPhi
	HLFLepIsoCh
	HLFLepIsoGamma
	HLFLepIsoNeu
	HLFLepCharge
	HLFLepIsEle
)

// RealRows is the number of real particle rows of an event's low-level features l
// (NumParticles*NumColumns values, row-major, as Extract writes them): the lepton (row 0),
// then the tracks, photons and neutral hadrons, each row with one of the flags isChHad,
// isNeuHad, isGamma, isEle, isMu set. The rows after the last row with a non-zero value are
// the padding rows: all NumColumns values exactly 0, contiguous at the end.
func RealRows(l []float64) int {
	for r := len(l)/NumColumns - 1; r >= 0; r-- {
		for _, v := range l[r*NumColumns : (r+1)*NumColumns] {
			if v != 0 {
				return r + 1
			}
		}
	}
	return 0
}

// Selection and padding constants of the original.
const (
	LeptonPTCut    = 23.0   // electrons and muons need PT > 23
	IsolationCut   = 0.45   // and isoCh + isoNeu + isoGamma < 0.45
	TrackPTCut     = 0.5    // tracks need PT > 0.5 (charged isolation map and rows)
	TowerETCut     = 1.0    // photons and neutral hadrons need ET > 1
	LeptonTrackDR  = 0.0001 // a track within this ΔR of the lepton is its own track
	JetPTCut       = 30.0   // jets need PT > 30
	JetAbsEtaCut   = 2.6    // and |Eta| < 2.6
	IsolationConeR = 0.3
)

// Options select the variant of step 1.
type Options struct {
	// FixQuirks corrects the original's three quirks: PFIso folds Δφ into [-π, π]; when
	// both an electron and a muon qualify, the one with the larger pT (not the larger Eta) is
	// the lepton; MT is sqrt(2 MET pT (1 - cos Δφ)) (the original omits the square root).
	// The published datasets were made without it.
	FixQuirks bool
}

// Outcome says whether Extract selected an event, or why it dropped it.
type Outcome int

const (
	// Selected: the features were written.
	Selected Outcome = iota
	// DroppedEmptyIsoMap: the charged, neutral or photon isolation map is empty.
	DroppedEmptyIsoMap
	// DroppedNoLeptonCandidate: the event has no electron and no muon at all.
	DroppedNoLeptonCandidate
	// DroppedNoIsolatedLepton: no electron or muon has PT > 23 and isolation < 0.45.
	DroppedNoIsolatedLepton
	// DroppedNoMissingET: the MissingET collection is empty. The original read
	// MissingET[0] unconditionally and would have failed with IndexError; Delphes always
	// writes one entry, so this marks a damaged or foreign input.
	DroppedNoMissingET
	// DroppedMalformed: the parallel columns of a collection have different lengths.
	DroppedMalformed
	// NumOutcomes is the number of outcomes, for counting them in an array.
	NumOutcomes
)

var outcomeNames = [NumOutcomes]string{
	"selected",
	"empty isolation map",
	"no lepton candidate",
	"no isolated lepton",
	"no missing ET",
	"malformed event",
}

// String names the outcome.
func (o Outcome) String() string {
	if o < 0 || o >= NumOutcomes {
		return "Outcome(?)"
	}
	return outcomeNames[o]
}

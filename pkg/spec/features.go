package spec

// Particle names the columns of a particle row (lfeatures, GRU_input), in order (PIPELINE.md,
// step 1, "Particle rows, 19 features each").
var Particle = [NumParticleFeatures]string{
	"Energy", "Px", "Py", "Pz", "Pt", "Eta", "Phi", "vtxX", "vtxY", "vtxZ",
	"ChPFIso", "GammaPFIso", "NeuPFIso", "isChHad", "isNeuHad", "isGamma", "isEle", "isMu", "Charge",
}

// NumParticleFeatures is the number of columns of a particle row, the length of Particle.
const NumParticleFeatures = 19

// Kept particles per event (PIPELINE.md, step 1, "Particle rows"): at most this many tracks,
// photons and neutral hadrons; fewer are padded with zero rows.
const (
	MaxTracks   = 450
	MaxPhotons  = 150
	MaxNeutrals = 200
)

// SequenceLength is the number of particle rows of an event (lfeatures, GRU_input): the
// lepton, then the tracks, photons and neutral hadrons (PIPELINE.md, step 1, "Always 801
// rows").
const SequenceLength = 1 + MaxTracks + MaxPhotons + MaxNeutrals

// HLF names the high-level features (hfeatures, HLF_input), in order (PIPELINE.md, step 1,
// "High-level features, 14 values in this order").
var HLF = [NumHLF]string{
	"HT", "MET", "PhiMET", "MT", "nJets", "nBjets", "LepPt", "LepEta", "LepPhi",
	"LepIsoCh", "LepIsoGamma", "LepIsoNeu", "LepCharge", "LepIsEle",
}

// NumHLF is the number of high-level features, the length of HLF.
const NumHLF = 14

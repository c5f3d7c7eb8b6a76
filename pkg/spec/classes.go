package spec

// Class labels of the three samples (PIPELINE.md, "Classes and input files").
const (
	QCD   = 0 // QCD multijet
	TTbar = 1 // top-quark pairs, the headline trigger selector
	WJets = 2 // W+jets, W -> lepton neutrino
)

// Classes names the classes, indexed by label: the keys of metrics.json, the sample names of
// ingestion and generation, plot legends and the order of a model's probabilities
// (PIPELINE.md, "Classes and input files").
var Classes = [NumClasses]string{QCD: "qcd", TTbar: "ttbar", WJets: "wjets"}

// NumClasses is the number of classes, the length of Classes: the width of encoded_label and
// of a model's output.
const NumClasses = 3

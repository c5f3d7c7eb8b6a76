package models

// ClassNames returns the names of the classifiers' NumClasses outputs, indexed by class label:
// "qcd", "ttbar", "wjets" (PIPELINE.md, "Classes and input files").
func ClassNames() []string { return []string{"qcd", "ttbar", "wjets"} }

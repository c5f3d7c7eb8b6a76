// Package delphes reads the collections of Delphes ROOT files that the trigger pipeline needs
// (EFlowTrack, EFlowPhoton, EFlowNeutralHadron, Electron, MuonTight or Muon, MissingET, Jet),
// from local paths, globs, directories and root:// (XRootD) URLs.
//
// Two on-disk layouts are read through one code path:
//
//   - the split TClonesArray branches that Delphes itself writes: a parent branch
//     "EFlowTrack" whose leaf "EFlowTrack_" holds the element count of each entry, and member
//     branches "EFlowTrack.PT" (title "PT[EFlowTrack_]") whose per-entry payload is that many
//     plain values. Stock go-hep cannot read these (go-hep#449); this package decodes their
//     baskets itself on top of go-hep's public rbytes/riofs/rtree API.
//   - flat variable-length branches "EFlowTrack.PT" counted by "EFlowTrack_size", the layout
//     that rtree.NewWriter produces and the synthetic generator writes.
package delphes

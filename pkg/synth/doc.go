// Package synth generates synthetic Delphes events of the three classes of the trigger
// pipeline (label 0 QCD multijet, 1 ttbar, 2 W+jets) and writes them as flat-layout Delphes
// ROOT files that pkg/delphes reads like real ones.
//
//	files, err := synth.Generate(ctx, "data/synth", synth.Options{Events: 100000, Seed: 1})
//	// data/synth/qcd/qcd_0000.root ... data/synth/wjets/wjets_0009.root
//
// or event by event:
//
//	g := synth.NewGenerator(synth.TTbar, 42)
//	var ev delphes.Event
//	g.Next(&ev)
//
// # Physics model
//
// Each event is a hard process, turned into detector-level objects, on top of an underlying
// event and pileup. The hard process is built with four-vectors and isotropic two-body
// decays (W mass 80.4 GeV and top mass 172.5 GeV with Breit-Wigner widths); a
// generator-level filter, as in lepton-enriched productions, redraws it until a lepton has
// pt > 20 GeV inside the electron (|eta| < 2.5) or muon (|eta| < 2.4) acceptance.
//
//   - W+jets: a W boson recoiling against 0-4 initial-state-radiation jets (soft,
//     exponential pt spectrum; 5% b, 12% c), decaying to an electron or muon and a neutrino.
//     The lepton pt shows the Jacobian peak near 40 GeV and the transverse mass its edge near
//     80 GeV; the missing energy is real. W+ outnumbers W- 1.4 to 1, as at the LHC.
//   - ttbar: a top pair (mass 360 GeV and up, exponential tail) decaying to b W+ bbar W-; one
//     W decays to a lepton and a neutrino (both, in 18% of events), the other to a quark pair
//     (c s in half of them), plus Poisson(0.8) ISR jets. Hence four or more jets, two b jets,
//     large HT, and leptons sometimes close to a jet.
//   - QCD: 2-4 jets with a steeply falling spectrum (leading pt from 25 GeV, power law),
//     balanced in the transverse plane. One of the two leading jets is a b (75%) or c jet whose
//     hadron decays semileptonically: the lepton sits inside the jet, so it is mostly not
//     isolated, and only when it takes most of the jet momentum does the event pass the
//     trigger (about 30% of events). Missing energy comes only from the decay neutrino, jet
//     resolution and pileup, so it is low.
//
// Detector level. Every parton becomes a jet of charged hadrons (tracks: pions, kaons,
// protons), photons and neutral hadrons sharing its pt (flat Dirichlet shares; ~62% charged;
// response resolution ~10% at 100 GeV), spread around the axis with a core of ~0.05 in
// eta-phi and at most 0.4. Outside the tracker (|eta| > 2.5) charged hadrons are seen as
// neutral hadrons. b and c jets have a decay vertex at a flight distance
// beta-gamma c-tau (a few mm for b): half of their tracks, and their semileptonic leptons,
// start there, which only the particle-level vertex columns reveal; b-tagging is 70%
// efficient for b, 20% for c and 1% for light jets. The Jet collection lists jets above
// 20 GeV, sorted by pt; as in Delphes, whose jets are clustered from all particle-flow
// objects, a prompt lepton also makes a jet of its own. Leptons above 10 GeV in acceptance
// are in Electron or MuonTight and always have their own track (same PT, Eta, Phi, PID
// +-11 or +-13 with the PDG sign: 11 is the electron, charge -1). The underlying event adds
// ~22 tracks and ~14 towers from the primary vertex; pileup adds a varying number of
// interactions (mean 16 to 44 plus an exponential tail), each at its own vertex, with ~6.5
// tracks and ~4 towers, uniform in eta and soft (tracks pt 0.3 GeV plus exponential of mean
// 0.8; towers above 0.5 GeV). Tracks come in Delphes order: hard process first, pileup last.
// Events have ~150-450 tracks (about 1% have more than 450 above 0.5 GeV), 30-150 photons
// and 30-200 neutral hadrons. Vertices spread by 0.01 mm transversely and 50 mm along the
// beam. MissingET is minus the vector sum of every track, photon and neutral hadron written.
//
// # Files and determinism
//
// Generate writes DIR/<class>/<class>_NNNN.root, each file seeded from (seed, class, file
// index) by FileSeed, so the content does not depend on the number of workers or files
// written at once. Files are written under a temporary name and renamed when complete; the
// tree title stamps the model version, seed and counts, and a rerun keeps the files whose
// stamp and entry count match. Bytes differ between runs only where ROOT records the time
// of writing and the temporary file name.
package synth

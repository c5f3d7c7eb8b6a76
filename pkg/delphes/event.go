package delphes

// Event holds, for one entry of a Delphes tree, the collections the pipeline reads.
// Columns keep their on-disk types: float32 kinematics, int32 PID and Charge, uint32 BTag.
// Each collection is a struct of parallel slices (one element per object, in file order).
type Event struct {
	Entry int64 // entry number in its tree

	EFlowTrack         Tracks
	EFlowPhoton        Towers
	EFlowNeutralHadron Towers
	Electron           Leptons
	Muon               Leptons // MuonTight when the file has it, else Muon
	MissingET          MissingET
	Jet                Jets
}

// Tracks is the EFlowTrack collection.
type Tracks struct {
	PT, Eta, Phi []float32
	X, Y, Z      []float32 // vertex position
	PID          []int32
}

// Len is the number of tracks.
func (t *Tracks) Len() int { return len(t.PT) }

// Towers is an EFlowPhoton or EFlowNeutralHadron collection.
type Towers struct {
	ET, Eta, Phi []float32
}

// Len is the number of objects.
func (t *Towers) Len() int { return len(t.ET) }

// Leptons is an Electron or Muon collection.
type Leptons struct {
	PT, Eta, Phi []float32
	Charge       []int32
}

// Len is the number of leptons.
func (l *Leptons) Len() int { return len(l.PT) }

// MissingET is the MissingET collection (one entry in Delphes output).
type MissingET struct {
	MET, Phi []float32
}

// Len is the number of entries.
func (m *MissingET) Len() int { return len(m.MET) }

// Jets is the Jet collection.
type Jets struct {
	PT, Eta []float32
	BTag    []uint32
}

// Len is the number of jets.
func (j *Jets) Len() int { return len(j.PT) }

// CopyFrom makes e a deep copy of src, reusing e's slices where they are large enough.
// Readers reuse their Event between entries; CopyFrom keeps one past the callback.
func (e *Event) CopyFrom(src *Event) {
	e.Entry = src.Entry
	e.EFlowTrack.PT = append(e.EFlowTrack.PT[:0], src.EFlowTrack.PT...)
	e.EFlowTrack.Eta = append(e.EFlowTrack.Eta[:0], src.EFlowTrack.Eta...)
	e.EFlowTrack.Phi = append(e.EFlowTrack.Phi[:0], src.EFlowTrack.Phi...)
	e.EFlowTrack.X = append(e.EFlowTrack.X[:0], src.EFlowTrack.X...)
	e.EFlowTrack.Y = append(e.EFlowTrack.Y[:0], src.EFlowTrack.Y...)
	e.EFlowTrack.Z = append(e.EFlowTrack.Z[:0], src.EFlowTrack.Z...)
	e.EFlowTrack.PID = append(e.EFlowTrack.PID[:0], src.EFlowTrack.PID...)
	e.EFlowPhoton.copyFrom(&src.EFlowPhoton)
	e.EFlowNeutralHadron.copyFrom(&src.EFlowNeutralHadron)
	e.Electron.copyFrom(&src.Electron)
	e.Muon.copyFrom(&src.Muon)
	e.MissingET.MET = append(e.MissingET.MET[:0], src.MissingET.MET...)
	e.MissingET.Phi = append(e.MissingET.Phi[:0], src.MissingET.Phi...)
	e.Jet.PT = append(e.Jet.PT[:0], src.Jet.PT...)
	e.Jet.Eta = append(e.Jet.Eta[:0], src.Jet.Eta...)
	e.Jet.BTag = append(e.Jet.BTag[:0], src.Jet.BTag...)
}

func (t *Towers) copyFrom(src *Towers) {
	t.ET = append(t.ET[:0], src.ET...)
	t.Eta = append(t.Eta[:0], src.Eta...)
	t.Phi = append(t.Phi[:0], src.Phi...)
}

func (l *Leptons) copyFrom(src *Leptons) {
	l.PT = append(l.PT[:0], src.PT...)
	l.Eta = append(l.Eta[:0], src.Eta...)
	l.Phi = append(l.Phi[:0], src.Phi...)
	l.Charge = append(l.Charge[:0], src.Charge...)
}

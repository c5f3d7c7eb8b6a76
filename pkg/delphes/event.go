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

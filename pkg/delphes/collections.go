package delphes

// valueKind is the on-disk type of a member.
type valueKind int

const (
	kindF32 valueKind = iota
	kindI32
	kindU32
)

func (k valueKind) String() string {
	switch k {
	case kindF32:
		return "float32"
	case kindI32:
		return "int32"
	default:
		return "uint32"
	}
}

// memberSpec is one member of a collection and where it goes in an Event.
type memberSpec struct {
	name string
	kind valueKind
	f32  func(*Event) *[]float32
	i32  func(*Event) *[]int32
	u32  func(*Event) *[]uint32
}

// collectionSpec is one collection the pipeline reads.
type collectionSpec struct {
	name    string // in the file; "Muon" stands for MuonTight or Muon
	members []memberSpec
}

func f32(name string, f func(*Event) *[]float32) memberSpec {
	return memberSpec{name: name, kind: kindF32, f32: f}
}

func i32(name string, f func(*Event) *[]int32) memberSpec {
	return memberSpec{name: name, kind: kindI32, i32: f}
}

func u32(name string, f func(*Event) *[]uint32) memberSpec {
	return memberSpec{name: name, kind: kindU32, u32: f}
}

// collections lists, in Event order, the collections and members read from every file.
var collections = [...]collectionSpec{
	{"EFlowTrack", []memberSpec{
		f32("PT", func(e *Event) *[]float32 { return &e.EFlowTrack.PT }),
		f32("Eta", func(e *Event) *[]float32 { return &e.EFlowTrack.Eta }),
		f32("Phi", func(e *Event) *[]float32 { return &e.EFlowTrack.Phi }),
		f32("X", func(e *Event) *[]float32 { return &e.EFlowTrack.X }),
		f32("Y", func(e *Event) *[]float32 { return &e.EFlowTrack.Y }),
		f32("Z", func(e *Event) *[]float32 { return &e.EFlowTrack.Z }),
		i32("PID", func(e *Event) *[]int32 { return &e.EFlowTrack.PID }),
	}},
	{"EFlowPhoton", []memberSpec{
		f32("ET", func(e *Event) *[]float32 { return &e.EFlowPhoton.ET }),
		f32("Eta", func(e *Event) *[]float32 { return &e.EFlowPhoton.Eta }),
		f32("Phi", func(e *Event) *[]float32 { return &e.EFlowPhoton.Phi }),
	}},
	{"EFlowNeutralHadron", []memberSpec{
		f32("ET", func(e *Event) *[]float32 { return &e.EFlowNeutralHadron.ET }),
		f32("Eta", func(e *Event) *[]float32 { return &e.EFlowNeutralHadron.Eta }),
		f32("Phi", func(e *Event) *[]float32 { return &e.EFlowNeutralHadron.Phi }),
	}},
	{"Electron", []memberSpec{
		f32("PT", func(e *Event) *[]float32 { return &e.Electron.PT }),
		f32("Eta", func(e *Event) *[]float32 { return &e.Electron.Eta }),
		f32("Phi", func(e *Event) *[]float32 { return &e.Electron.Phi }),
		i32("Charge", func(e *Event) *[]int32 { return &e.Electron.Charge }),
	}},
	{"Muon", []memberSpec{
		f32("PT", func(e *Event) *[]float32 { return &e.Muon.PT }),
		f32("Eta", func(e *Event) *[]float32 { return &e.Muon.Eta }),
		f32("Phi", func(e *Event) *[]float32 { return &e.Muon.Phi }),
		i32("Charge", func(e *Event) *[]int32 { return &e.Muon.Charge }),
	}},
	{"MissingET", []memberSpec{
		f32("MET", func(e *Event) *[]float32 { return &e.MissingET.MET }),
		f32("Phi", func(e *Event) *[]float32 { return &e.MissingET.Phi }),
	}},
	{"Jet", []memberSpec{
		f32("PT", func(e *Event) *[]float32 { return &e.Jet.PT }),
		f32("Eta", func(e *Event) *[]float32 { return &e.Jet.Eta }),
		u32("BTag", func(e *Event) *[]uint32 { return &e.Jet.BTag }),
	}},
}

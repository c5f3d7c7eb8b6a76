package train

import (
	"fmt"
	"math"

	"github.com/godltrigger/godltrigger/pkg/dataset"
	"github.com/godltrigger/godltrigger/pkg/models"
)

// checkRow verifies row i of b (read with p.schema) before it enters training, evaluation or
// prediction: every feature value read (all of a row's particle rows, kept or not) is a finite
// number that float32 holds, and a one-hot label (encoded_label) holds one 1, the rest 0.
// Errors name the file, the row and the column (with the index of the value in it).
func (p *dataPlan) checkRow(b *dataset.Batch, i int) error {
	if p.hlf >= 0 {
		row := b.Floats[p.hlf][i*models.NumHLF : (i+1)*models.NumHLF]
		for k, v := range row {
			if !fitsFloat32(v) {
				return fmt.Errorf("%s: row %d: %s[%d] is %v: features must be finite numbers", b.File, b.Row+int64(i), ColumnHLF, k, v)
			}
		}
	}
	if p.seq >= 0 {
		w := p.seqLen * models.NumFeatures
		row := b.Floats[p.seq][i*w : (i+1)*w]
		for k, v := range row {
			if !fitsFloat32(v) {
				return fmt.Errorf("%s: row %d: %s[%d][%d] (particle %d, feature %d) is %v: features must be finite numbers",
					b.File, b.Row+int64(i), ColumnSequence, k/models.NumFeatures, k%models.NumFeatures,
					k/models.NumFeatures, k%models.NumFeatures, v)
			}
		}
	}
	if p.label >= 0 && p.oneHot {
		row := b.Floats[p.label][i*models.NumClasses : (i+1)*models.NumClasses]
		ones := 0
		for _, v := range row {
			switch v {
			case 1:
				ones++
			case 0:
			default:
				ones = -1
			}
			if ones < 0 {
				break
			}
		}
		if ones != 1 {
			return fmt.Errorf("%s: row %d: %s %v is not a one-hot label (one 1, the rest 0)", b.File, b.Row+int64(i), ColumnEncodedLabel, row)
		}
	}
	return nil
}

// fitsFloat32 reports whether v is a finite number within float32's range.
func fitsFloat32(v float64) bool { return math.Abs(v) <= math.MaxFloat32 }

package dataset

// levels holds the Parquet definition and repetition levels of `rows` consecutive
// rows of one column. Every row of a column has the same shape, so they are computed
// once per writer and every WriteBatch reuses them: no per-value work is done for
// levels on our side.
//
// For Spark's layout (all fields optional, lists as optional group / repeated group
// list / optional element), a present value has the maximum definition level: 1 for
// an int64, 3 for a list element, 5 for an element of a list of lists. The repetition
// level is 0 at the start of a row, and for lists of lists 1 at the start of each
// inner list and 2 inside it.
type levels struct {
	rows     int
	def, rep []int16
}

func newLevels(c Column, rows int) levels {
	n := rows * c.Len()
	lv := levels{rows: rows, def: make([]int16, n)}
	var maxDef int16
	switch c.Kind {
	case Int64:
		maxDef = 1
	case Float64List:
		maxDef = 3
		lv.rep = make([]int16, n)
		for i := range lv.rep {
			if i%c.Width != 0 {
				lv.rep[i] = 1
			}
		}
	case Float64List2:
		maxDef = 5
		lv.rep = make([]int16, n)
		per := c.Rows * c.Cols
		for i := range lv.rep {
			switch {
			case i%per == 0:
				lv.rep[i] = 0
			case i%c.Cols == 0:
				lv.rep[i] = 1
			default:
				lv.rep[i] = 2
			}
		}
	}
	for i := range lv.def {
		lv.def[i] = maxDef
	}
	return lv
}

// Package depswarm pins the module's heavy dependencies while the packages that use them are written.
package depswarm

import (
	_ "github.com/apache/arrow-go/v18/parquet/pqarrow"
	_ "github.com/gomlx/gomlx/backends/simplego"
	_ "github.com/gomlx/gomlx/pkg/ml/context/checkpoints"
	_ "github.com/gomlx/gomlx/pkg/ml/layers"
	_ "github.com/gomlx/gomlx/pkg/ml/train"
	_ "github.com/gomlx/gomlx/pkg/ml/train/losses"
	_ "github.com/gomlx/gomlx/pkg/ml/train/optimizers"
	_ "github.com/janpfeifer/gonb/gonbui"
	_ "go-hep.org/x/hep/groot"
	_ "go-hep.org/x/hep/groot/riofs/plugin/xrootd"
	_ "go-hep.org/x/hep/groot/rtree"
	_ "gonum.org/v1/plot/plotter"
	_ "gonum.org/v1/plot/vg/vgimg"
	_ "gonum.org/v1/plot/vg/vgsvg"
)

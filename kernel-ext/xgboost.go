package kernelext

import (
	"context"
	"fmt"
	"os"
)

// XGBoostHeader is the header of XGBoost's C API that Debian's libxgboost-dev installs.
const XGBoostHeader = "/usr/include/xgboost/c_api.h"

// XGBoostCommand builds the dltrigger command with the xgboost build tag, which trains and
// runs the tree ensembles ('dltrigger train --model xgboost|rf'), into the work directory's
// bin/dltrigger-xgboost and returns its path. moduleDir is the repository root (from a
// notebook: $GONB_DIR/..). It fails, saying what to install, when XGBoost's C library is
// missing.
func XGBoostCommand(ctx context.Context, moduleDir string) (string, error) {
	if _, err := os.Stat(XGBoostHeader); err != nil {
		return "", fmt.Errorf("kernelext: XGBoost's C library is not installed (libxgboost-dev: scripts/install-xgboost.sh): %w", err)
	}
	return buildTagged(ctx, moduleDir, "xgboost")
}

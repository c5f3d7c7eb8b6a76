package shellwords

import (
	"fmt"
	"testing"
)

func TestSplit(t *testing.T) {
	for line, want := range map[string]string{
		`$X dltrigger ingest --sample 'qcd=a b' --quiet # comment`: `[[$X dltrigger ingest --sample qcd=a b --quiet]]`,
		`dltrigger root dump f.root --json | jq .Jet`:              `[[dltrigger root dump f.root --json] [jq .Jet]]`,
		`dltrigger generate --out s && mv s/ttbar in/; ls &`:       `[[dltrigger generate --out s] [mv s/ttbar in/] [ls]]`,
		`echo "a # b|c" x#y`: `[[echo a # b|c x#y]]`,
		`# only a comment`:   `[]`,
		``:                   `[]`,
	} {
		if got := fmt.Sprint(Split(line)); got != want {
			t.Errorf("Split(%q) = %s, want %s", line, got, want)
		}
	}
}

func TestScript(t *testing.T) {
	script := "#!/bin/bash\n#SBATCH --array=0-3\nexec \"$DLTRIGGER\" ingest \\\n  --sample \"qcd=$QCD\" --quiet \\\n  --out '/data/x y' # trailing\n"
	want := `[[exec $DLTRIGGER ingest --sample qcd=$QCD --quiet --out /data/x y]]`
	if got := fmt.Sprint(Script(script)); got != want {
		t.Errorf("Script = %s, want %s", got, want)
	}
}

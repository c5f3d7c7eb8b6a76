package train

import (
	stdcontext "context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestHooksSeeEveryPassAndEpoch checks that a run reports every training and validation pass
// (start, steps, end) and every epoch to Job.Hooks, and that the log lines and the history
// come from the same epochs.
func TestHooksSeeEveryPassAndEpoch(t *testing.T) {
	job := smallJob(t, filepath.Join(t.TempDir(), "m"), 2)
	var log strings.Builder
	var passes []string
	var epochs []EpochEvent
	last := map[string]PassEvent{}
	job.Log = &log
	job.Hooks = Hooks{
		OnPass: func(e PassEvent) {
			key := fmt.Sprintf("%s %d", e.Phase, e.Epoch)
			switch {
			case e.Start:
				passes = append(passes, "start "+key)
			case e.Done:
				passes = append(passes, "done "+key)
				if p := last[key]; p.Rows != e.Total {
					t.Errorf("%s: the last step reported %d rows, the pass has %d", key, p.Rows, e.Total)
				}
			default:
				if p := last[key]; e.Rows <= p.Rows || e.Loss <= 0 || e.Accuracy < 0 || e.Accuracy > 1 {
					t.Errorf("%s: step after %d rows reports %d rows, loss %v, accuracy %v", key, p.Rows, e.Rows, e.Loss, e.Accuracy)
				}
				last[key] = e
			}
		},
		OnEpoch: func(e EpochEvent) { epochs = append(epochs, e) },
	}
	hist, err := Train(stdcontext.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	want := "start train 1,done train 1,start validate 1,done validate 1,start train 2,done train 2,start validate 2,done validate 2"
	if got := strings.Join(passes, ","); got != want {
		t.Errorf("passes %s, want %s", got, want)
	}
	if len(epochs) != 2 {
		t.Fatalf("%d epoch events, want 2", len(epochs))
	}
	for i, e := range epochs {
		if e.Epoch != i+1 || e.Epochs != 2 || e.Loss != hist.Loss[i] || e.ValLoss != hist.ValLoss[i] || e.ValAccuracy != hist.ValAccuracy[i] || e.StepTimes != nil {
			t.Errorf("epoch event %+v, history loss %v val_loss %v", e, hist.Loss[i], hist.ValLoss[i])
		}
		line := fmt.Sprintf("epoch %d/2: loss %.4f accuracy %.4f val_loss %.4f val_accuracy %.4f (", i+1, hist.Loss[i], hist.Accuracy[i], hist.ValLoss[i], hist.ValAccuracy[i])
		if !strings.Contains(log.String(), "\n"+line) && !strings.HasPrefix(log.String(), line) {
			t.Errorf("log %q has no line %q", log.String(), line)
		}
	}
	if e := epochs[0]; e.History != epochs[1].History || e.History.Epochs() != 2 {
		t.Error("the epoch events do not carry the run's history")
	}
}

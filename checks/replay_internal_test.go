package checks

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/errprobe/errprobe/schemas"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestReplayProbe_IsData: the idempotency replay is a Probe value — create,
// count the list, replay, count again, each later step comparing its
// response with an earlier one's (same_as) — which runData interprets like
// every other probe. The golden file is that value (zero fields left out),
// for jsonapi with a replay header.
func TestReplayProbe_IsData(t *testing.T) {
	t.Parallel()
	p, err := schemas.Builtin("jsonapi", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	p.Idempotency.ReplayHeader = "Idempotent-Replayed"
	got := dumpProbe(t, replayProbe(p, ""))
	golden := filepath.Join("testdata", "replay-probe.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("replay probe differs from %s (go test -run TestReplayProbe_IsData -update):\n%s", golden, got)
	}
}

// dumpProbe is a probe as indented JSON without its zero fields.
func dumpProbe(t *testing.T, dp Probe) []byte {
	t.Helper()
	b, err := json.Marshal(dp)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(prune(v), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

// prune drops nulls, false, "", and empty lists and objects.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e = prune(e); e == nil {
				delete(x, k)
			} else {
				x[k] = e
			}
		}
		if len(x) == 0 {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i := range x {
			x[i] = prune(x[i])
		}
	case bool:
		if !x {
			return nil
		}
	case string:
		if x == "" {
			return nil
		}
	}
	return v
}

package checks

import (
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/wire"
)

func TestMask(t *testing.T) {
	t.Parallel()
	type testCase struct{ in, want string }
	run := func(t *testing.T, tc testCase) {
		if got := wire.Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"ek_live_abcdef0123452345", "****"},
		{"abcdefghijklmnopqrstuvwxyz", "****"},
		{"short", "****"},
		{"", "****"},
	} {
		t.Run(tc.in, func(t *testing.T) { run(t, tc) })
	}
}

func TestMasker_AllForms(t *testing.T) {
	t.Parallel()
	key := "ek_live_abcdef0123452345"
	m := wire.NewMasker(key, "", "x")
	ex := &report.Exchange{
		Request:  report.Request{URL: "http://h/v1?api_key=" + key, Header: map[string][]string{"Authorization": {"Basic ZWtfbGl2ZV9hYmNkZWYwMTIzNDUyMzQ1Og=="}}},
		Response: &report.Response{Body: `{"echo":"` + key + `"}`, Header: map[string][]string{"X-Key": {key}}},
		Err:      "dial " + key,
	}
	m.Exchange(ex)
	all := ex.Request.URL + strings.Join(ex.Request.Header["Authorization"], "") + ex.Response.Body + ex.Response.Header["X-Key"][0] + ex.Err
	if strings.Contains(all, key) || strings.Contains(all, "ZWtfbGl2ZV9hYmNkZWYwMTIzNDUyMzQ1") {
		t.Errorf("key left in %s", all)
	}
	if !strings.Contains(all, "****") {
		t.Errorf("no masked form in %s", all)
	}
}

func TestExpandN_UniqueSevenDigits(t *testing.T) {
	t.Parallel()
	s := &session{runID: 8999990}
	seen := map[string]bool{}
	for range 1000 {
		got := s.expandN(`{"phone":"+1415{{n}}","name":"x {{n}}"}`)
		n := strings.TrimSuffix(strings.TrimPrefix(got, `{"phone":"+1415`), `","name":"x `+got[15:22]+`"}`)
		if len(n) != 7 || seen[n] {
			t.Fatalf("expandN gave %q (n %q)", got, n)
		}
		seen[n] = true
	}
	if s.expandN("no placeholder") != "no placeholder" {
		t.Error("changed a body without {{n}}")
	}
}

func TestLatencyHist_Quantiles(t *testing.T) {
	t.Parallel()
	var h burst.LatencyHist
	for i := 1; i <= 1000; i++ {
		h.Add(time.Duration(i) * time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Millisecond}, {0.9, 900 * time.Millisecond}, {0.99, 990 * time.Millisecond}} {
		got := h.Quantile(c.q)
		if d := got - c.want; d > c.want/15 || d < -c.want/15 {
			t.Errorf("q%.2f = %s, want about %s", c.q, got, c.want)
		}
	}
	var empty burst.LatencyHist
	if empty.Quantile(0.5) != 0 {
		t.Error("empty histogram has a quantile")
	}
}

func TestBudget_Take(t *testing.T) {
	t.Parallel()
	b := wire.NewBudget(nil, 3)
	for i := 0; i < 3; i++ {
		if !b.Take() {
			t.Fatalf("take %d refused", i)
		}
	}
	if b.Take() || b.Left() != 0 || b.Sent() != 3 {
		t.Errorf("take after budget: left %d sent %d", b.Left(), b.Sent())
	}
}

func TestCatalogue_Unique(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range report.Catalogue() {
		if seen[c.ID] || !strings.HasPrefix(c.ID, c.Suite+".") || c.Description == "" {
			t.Errorf("bad catalogue entry %+v", c)
		}
		seen[c.ID] = true
	}
	if len(seen) != 65 {
		t.Errorf("%d checks, want 65", len(seen))
	}
}

// A quantile is read from the samples, not the bucket's lower edge: samples
// of 79.5–79.9 ms all fall into the bucket that starts at 77.8 ms.
func TestLatencyHist_NotBucketFloor(t *testing.T) {
	t.Parallel()
	var h burst.LatencyHist
	for i := 0; i < 100; i++ {
		h.Add(79500*time.Microsecond + time.Duration(i%5)*100*time.Microsecond)
	}
	for _, q := range []float64{0.5, 0.9, 0.99} {
		if got := h.Quantile(q); got < 79500*time.Microsecond || got > 79900*time.Microsecond {
			t.Errorf("q%.2f = %s, want within the samples' 79.5–79.9ms", q, got)
		}
	}
}

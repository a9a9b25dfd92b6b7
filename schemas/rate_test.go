package schemas

import "testing"

func TestParseRate_Forms(t *testing.T) {
	type testCase struct {
		in   string
		want float64
		bad  bool
	}
	run := func(t *testing.T, tc testCase) {
		got, err := ParseRate(tc.in)
		if tc.bad {
			if err == nil {
				t.Fatalf("ParseRate(%q) = %v, want an error", tc.in, got)
			}
			return
		}
		if err != nil || got != tc.want {
			t.Fatalf("ParseRate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []testCase{
		{in: "10/s", want: 10}, {in: "600/m", want: 10}, {in: "0.5/s", want: 0.5},
		{in: "10", bad: true}, {in: "10/h", bad: true}, {in: "0/s", bad: true}, {in: "-1/s", bad: true}, {in: "x/s", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) { run(t, tc) })
	}
}

package schemas

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestExpectation_JSONRoundTrip: an expectation that is only a code is
// written as that code; one with anything beside it (a guess, a
// comparison with an earlier step) keeps every member.
func TestExpectation_JSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   Expectation
		want string
	}{
		{Expectation{Code: "NOT_FOUND"}, `"NOT_FOUND"`},
		{Expectation{Code: "NOT_FOUND", Guess: "RFC 9110"}, `{"code":"NOT_FOUND","guess":"RFC 9110"}`},
		{Expectation{Code: "NOT_FOUND", SameAs: "create", Same: []string{"id"}}, `{"code":"NOT_FOUND","same_as":"create","same":["id"]}`},
	} {
		b, err := json.Marshal(tc.in)
		if err != nil || string(b) != tc.want {
			t.Errorf("%+v: %s %v, want %s", tc.in, b, err, tc.want)
			continue
		}
		var back Expectation
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, tc.in) {
			t.Errorf("%s read back as %+v (%v)", b, back, err)
		}
	}
}

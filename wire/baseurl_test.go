package wire

import (
	"strings"
	"testing"
)

// TestCheckBaseURL_Messages: a base URL that cannot work is one line naming
// where it came from, what is wrong and what to write instead — a missing
// scheme suggests http://; a URL that does not parse is shown (never
// "(unparseable URL)"); no password is ever shown.
func TestCheckBaseURL_Messages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"BASE_URL", "127.0.0.1:18080", `BASE_URL "127.0.0.1:18080" has no scheme: add http:// (or https://), e.g. "http://127.0.0.1:18080"`},
		{"--learn", "api.example.com/v1", `--learn "api.example.com/v1" has no scheme: add http:// (or https://), e.g. "http://api.example.com/v1"`},
		{"BASE_URL", "user:secret@host:80", `BASE_URL "…@host:80" has no scheme: add http:// (or https://), e.g. "http://…@host:80"`},
		{"--learn", "http://exa mple", `--learn "http://exa mple": invalid character " " in host name; want http(s)://host[:port][/prefix]`},
		{"BASE_URL", "http://u:secret@[::1", `BASE_URL "http://…@[::1": missing ']' in host; want http(s)://host[:port][/prefix]`},
		{"base URL", "ftp://x", `base URL "ftp://x": want http(s)://host[:port][/prefix]`},
	} {
		_, err := CheckBaseURL(tc.name, tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("CheckBaseURL(%q, %q) = %v, want %s", tc.name, tc.in, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "unparseable") || strings.Contains(err.Error(), "\n")) {
			t.Errorf("CheckBaseURL(%q) = %q", tc.in, err)
		}
	}
}

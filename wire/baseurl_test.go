package wire

import (
	"strings"
	"testing"
)

func TestParseBaseURL_NoScheme(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"127.0.0.1:18080":     `base URL "127.0.0.1:18080" has no scheme: want http(s)://host[:port][/prefix], e.g. http://127.0.0.1:18080`,
		"api.example.com/v1":  `base URL "api.example.com/v1" has no scheme: want http(s)://host[:port][/prefix], e.g. http://api.example.com/v1`,
		"user:secret@host:80": "base URL: no scheme; want http(s)://host[:port][/prefix]",
	} {
		_, err := ParseBaseURL(in)
		if err == nil || err.Error() != want {
			t.Errorf("ParseBaseURL(%q) = %v, want %q", in, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseBaseURL(%q) shows the password", in)
		}
	}
}

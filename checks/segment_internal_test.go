package checks

import "testing"

func TestMatchesTemplate_Segments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tmpl, path string
		want       bool
	}{
		{"/a/{id}", "/a/1", true},
		{"/a/{id}", "/a/", false},
		{"/a/{Sid}.json", "/a/AD00.json", true},
		{"/a/{Sid}.json", "/a/.json", false},
		{"/a/{Sid}.json", "/a/AD00", false},
		{"/files/{id}#add_link", "/files/7", true},
		{"/a/v{major}.{minor}", "/a/v1.2", true},
		{"/a/b", "/a/c", false},
	} {
		if got := matchesTemplate(tc.tmpl, tc.path); got != tc.want {
			t.Errorf("matchesTemplate(%q, %q) = %v, want %v", tc.tmpl, tc.path, got, tc.want)
		}
	}
}

package schemas

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus reads testdata/leaks/NAME: one text a line, "#" comments, \n and
// \t escapes; with tagged, each line is "tag<TAB>text".
func corpus(t *testing.T, name string, tagged bool) (tags, texts []string) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "leaks", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	unescape := strings.NewReplacer(`\n`, "\n", `\t`, "\t")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tag := ""
		if tagged {
			tag, line, _ = strings.Cut(line, "\t")
		}
		tags, texts = append(tags, tag), append(texts, unescape.Replace(line))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tags, texts
}

// TestFindLeak_Corpus: every text of the leak corpus (runtime errors of
// Node, Python, Java, Go, Ruby, .NET, PHP, the major databases' SQL errors
// and server file paths) is flagged, and no ordinary error message or code
// of the false-positive corpus is.
func TestFindLeak_Corpus(t *testing.T) {
	t.Parallel()
	tags, leaks := corpus(t, "leaks.txt", true)
	caught := map[string][2]int{}
	for i, s := range leaks {
		n := caught[tags[i]]
		n[1]++
		if _, _, ok := findLeak(s); ok {
			n[0]++
		} else {
			t.Errorf("missed (%s): %q", tags[i], s)
		}
		caught[tags[i]] = n
	}
	_, ordinary := corpus(t, "ordinary.txt", false)
	flagged := 0
	for _, s := range ordinary {
		if kind, ex, ok := findLeak(s); ok {
			flagged++
			t.Errorf("false positive: %q flagged as %s (%q)", s, kind, ex)
		}
	}
	t.Logf("leaks caught per stack: %v; false positives: %d of %d ordinary messages", caught, flagged, len(ordinary))
}

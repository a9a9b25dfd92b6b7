package wire

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReadBody (T12): whatever the body and the cap, a whole body is kept
// whole, a longer one is cut to its first min(max, KeptOfTruncated) bytes
// with its size, and nothing past max+1 bytes is read.
func FuzzReadBody(f *testing.F) {
	f.Add([]byte(`{"error":"x"}`), uint16(8), true)
	f.Add(bytes.Repeat([]byte("x"), 5000), uint16(4096), false)
	f.Fuzz(func(t *testing.T, body []byte, max16 uint16, declare bool) {
		max := int64(max16%8192) + 1
		declared := int64(-1)
		if declare {
			declared = int64(len(body))
		}
		lr := &countingReader{r: bytes.NewReader(body)}
		b, err := ReadBody(lr, max, declared, &Interner{})
		if err != nil {
			t.Fatal(err)
		}
		if lr.n > max+1 {
			t.Fatalf("read %d bytes with max %d", lr.n, max)
		}
		if int64(len(body)) <= max {
			if b.Truncated || b.Text != string(body) {
				t.Fatalf("a body within max was cut: %d of %d", len(b.Text), len(body))
			}
			return
		}
		if !b.Truncated || int64(len(b.Text)) != min(max, KeptOfTruncated) || !strings.HasPrefix(string(body), b.Text) {
			t.Fatalf("cut body: kept %d (truncated %v) of %d with max %d", len(b.Text), b.Truncated, len(body), max)
		}
		if b.Length < max {
			t.Fatalf("length %d under max %d", b.Length, max)
		}
	})
}

// FuzzMasker (T9, T11): a secret echoed in any of its forms — raw,
// URL-escaped, JSON-escaped, base64 — between any text leaves no form of it
// in the masked text.
func FuzzMasker(f *testing.F) {
	f.Add("SEKRETkey-0123456789abcdef", "bad key ", " nope", 0)
	f.Add(`SEKRET "key" \ <a&b> with spaces`, "x", "", 3)
	f.Fuzz(func(t *testing.T, secret, before, after string, which int) {
		if len(secret) < 8 || len(secret) > 64 || strings.Contains(secret, "*") {
			return
		}
		forms := secretForms(secret)
		form := forms[uint(which)%uint(len(forms))]
		if len(form) < 4 {
			return
		}
		got := NewMasker(secret).String(before + form + after)
		if strings.Contains(got, form) && !strings.Contains(before+after, form) {
			t.Fatalf("form %q of %q survives in %q", form, secret, got)
		}
	})
}

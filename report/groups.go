package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Signature is what a failing response looked like: failures of one check
// with one signature share a cause.
type Signature struct {
	Status      int    `json:"status"`
	Code        string `json:"code"`
	ContentType string `json:"content_type"`
	Header      string `json:"header"`
	// Error is the transport error when nothing came back.
	Error string `json:"error"`
}

// String renders a signature: "404 NOT_FOUND text/html".
func (s Signature) String() string {
	var parts []string
	if s.Status != 0 {
		parts = append(parts, fmt.Sprint(s.Status))
	}
	if s.Code != "" {
		parts = append(parts, s.Code)
	}
	if s.ContentType != "" {
		parts = append(parts, s.ContentType)
	}
	if s.Header != "" {
		parts = append(parts, "header "+s.Header)
	}
	if s.Error != "" {
		parts = append(parts, s.Error)
	}
	if len(parts) == 0 {
		return "no response"
	}
	return strings.Join(parts, " ")
}

// SignatureOf is a failed result's signature: the status, error code,
// Content-Type and header of its response, narrowed to what its check looks
// at — an HTML error page is one cause of envelope.content-type failures
// whatever status each probe got, a code given the wrong status one cause
// of envelope.status-match failures whatever the Content-Type.
func SignatureOf(r Result) Signature {
	sig := Signature{Code: r.Code, Header: r.Header}
	if x := r.Exchange; x != nil {
		if x.Response != nil {
			sig.Status = x.Response.Status
			sig.ContentType = mediaType(x.Response.Header.Get("Content-Type"))
		} else {
			sig.Error = x.Err
		}
	}
	switch r.Check {
	case EnvelopeContentType, EnvelopeJSON:
		sig.Status, sig.Code = 0, ""
	case EnvelopeStatusMatch:
		sig.ContentType = ""
	case EnvelopeRequestID, EnvelopeHeaders:
		sig.Status, sig.Code, sig.ContentType = 0, "", ""
	}
	return sig
}

// Group is one cause: the failures, of one check or several, that show one
// behaviour (CauseOf).
type Group struct {
	// Cause says the behaviour: "status 200 instead of 401",
	// "Content-Type text/html instead of JSON", "/error/message missing".
	Cause string
	// Checks are the checks that failed on it, in report order; Check is
	// the first, Signature its first failure's.
	Checks    []string
	Check     string
	Suite     string
	Severity  Severity
	Security  bool
	Signature Signature
	// Message is what the failures say: their message when they all say the
	// same, else the first one's.
	Message string
	// Results index Report.Results, in report order.
	Results []int
	// Known is true when every failure of the group is in the baseline.
	Known bool
}

// Groups gathers the report's failures by cause (CauseOf), across checks:
// security groups first, then errors before warnings, then in report order.
// A group is security when any of its checks is, an error when any of its
// failures is.
func (r *Report) Groups() []Group {
	var out []Group
	index := map[string]int{}
	for i, res := range r.Results {
		if res.Status != StatusFail {
			continue
		}
		key, text := CauseOf(res)
		if res.Known {
			key += "\x00known" // the baseline's failures stay apart from new ones
		}
		g, ok := index[key]
		if !ok {
			g = len(out)
			index[key] = g
			out = append(out, Group{
				Cause: text, Check: res.Check, Suite: res.Suite, Severity: res.Severity,
				Signature: SignatureOf(res), Message: res.Message, Known: true,
			})
		}
		grp := &out[g]
		grp.Results = append(grp.Results, i)
		grp.Known = grp.Known && res.Known
		grp.Security = grp.Security || IsSecurity(res.Check)
		if res.Severity == SeverityError {
			grp.Severity = SeverityError
		}
		if !slices.Contains(grp.Checks, res.Check) {
			grp.Checks = append(grp.Checks, res.Check)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return groupRank(out[i]) < groupRank(out[j]) })
	return out
}

func groupRank(g Group) int {
	rank := 0
	if !g.Security {
		rank += 2
	}
	if g.Severity == SeverityWarning {
		rank++
	}
	return rank
}

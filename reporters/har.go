package reporters

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/errprobe/errprobe/report"
)

// HAR writes every exchange of the run as an HTTP Archive 1.2 log (for
// browser devtools' HAR import and proxies): in the order sent, the
// clean-up included; each burst sample once, with how many requests the
// burst sent. Keys are masked as in every other report (the engine masked
// them before the report was built).
func HAR(w io.Writer, r *report.Report, o Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(harDocument{Log: newHARLog(r)})
}

type harDocument struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Pages   []struct{} `json:"pages"`
	Entries []harEntry `json:"entries"`
	Comment string     `json:"comment,omitempty"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntry struct {
	Started  string      `json:"startedDateTime"`
	Time     float64     `json:"time"`
	Request  harRequest  `json:"request"`
	Response harResponse `json:"response"`
	Cache    struct{}    `json:"cache"`
	Timings  harTimings  `json:"timings"`
	Comment  string      `json:"comment,omitempty"`
	// Custom fields (HAR allows names starting with "_").
	Probe string    `json:"_probe,omitempty"`
	Error string    `json:"_error,omitempty"`
	Burst *harBurst `json:"_burst,omitempty"`
}

type harBurst struct {
	Sent      int `json:"sent"`
	Status429 int `json:"status_429"`
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string       `json:"method"`
	URL         string       `json:"url"`
	HTTPVersion string       `json:"httpVersion"`
	Cookies     []harNV      `json:"cookies"`
	Headers     []harNV      `json:"headers"`
	QueryString []harNV      `json:"queryString"`
	PostData    *harPostData `json:"postData,omitempty"`
	HeadersSize int          `json:"headersSize"`
	BodySize    int          `json:"bodySize"`
}

type harPostData struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
	Comment     string     `json:"comment,omitempty"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

func newHARLog(r *report.Report) harLog {
	l := harLog{Version: "1.2", Creator: harCreator{Name: nonEmpty(r.Tool, "errprobe"), Version: r.Version}, Pages: []struct{}{}, Entries: []harEntry{}}
	if r.DryRun {
		l.Comment = "dry run: nothing was sent"
	}
	at := r.Started
	for _, x := range inSendOrder(harExchanges(r)) {
		if !x.Started.IsZero() {
			at = x.Started
		}
		l.Entries = append(l.Entries, harEntryOf(x, at, r.Burst))
	}
	return l
}

// harExchanges is the run's exchanges; a report built without them (older
// callers, tests) falls back to those its results cite, each once.
func harExchanges(r *report.Report) []*report.Exchange {
	if len(r.Exchanges) > 0 {
		return r.Exchanges
	}
	var out []*report.Exchange
	seen := map[*report.Exchange]bool{}
	for _, res := range r.Results {
		for _, x := range append(append([]*report.Exchange{}, res.Setup...), res.Exchange) {
			if x != nil && !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	}
	return out
}

// inSendOrder orders exchanges as they were sent (Exchange.Sent; the run
// logs each when its answer comes, so a slow request is logged after
// quicker ones sent later). An exchange without a place (a burst sample)
// keeps its place after the one logged before it.
func inSendOrder(xs []*report.Exchange) []*report.Exchange {
	type keyed struct {
		x   *report.Exchange
		key int64
	}
	ks := make([]keyed, len(xs))
	var last int64
	for i, x := range xs {
		if x.Sent > 0 {
			last = x.Sent
		}
		ks[i] = keyed{x, last}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	out := make([]*report.Exchange, len(xs))
	for i, k := range ks {
		out[i] = k.x
	}
	return out
}

// harTime is startedDateTime: ISO 8601 in UTC to the microsecond, so
// requests sent within one millisecond keep their order.
const harTime = "2006-01-02T15:04:05.000000Z"

func harEntryOf(x *report.Exchange, at time.Time, burst *report.BurstStats) harEntry {
	took := millis(x.Duration)
	e := harEntry{
		Started: at.UTC().Format(harTime), Time: took,
		Request: harRequestOf(x), Response: harResponseOf(x.Response),
		Timings: harTimings{Send: 0, Wait: took, Receive: 0},
		Probe:   x.Probe, Error: x.Err,
	}
	if x.Burst {
		e.Burst = &harBurst{}
		if burst != nil {
			e.Burst.Sent, e.Burst.Status429 = burst.Sent, burst.Status429
		}
		e.Comment = fmt.Sprintf("a sample of the rate-limit burst: %d requests sent, %d answered 429", e.Burst.Sent, e.Burst.Status429)
	}
	return e
}

func harRequestOf(x *report.Exchange) harRequest {
	req := x.Request
	out := harRequest{
		Method: req.Method, URL: req.URL, HTTPVersion: "HTTP/1.1",
		Cookies: []harNV{}, Headers: harHeaders(req.Header), QueryString: []harNV{},
		HeadersSize: -1, BodySize: len(req.Body),
	}
	if x.Response != nil && x.Response.Proto != "" {
		out.HTTPVersion = x.Response.Proto
	}
	if u, err := url.Parse(req.URL); err == nil {
		for _, k := range sortedQueryKeys(u.Query()) {
			for _, v := range u.Query()[k] {
				out.QueryString = append(out.QueryString, harNV{k, v})
			}
		}
	}
	if req.Body != "" {
		out.PostData = &harPostData{MimeType: req.Header.Get("Content-Type"), Text: clean(req.Body)}
	}
	return out
}

func harResponseOf(resp *report.Response) harResponse {
	if resp == nil {
		// No response (a network failure): status 0, as devtools records one.
		return harResponse{HTTPVersion: "", Cookies: []harNV{}, Headers: []harNV{}, HeadersSize: -1, BodySize: -1}
	}
	out := harResponse{
		Status: resp.Status, StatusText: http.StatusText(resp.Status), HTTPVersion: nonEmpty(resp.Proto, "HTTP/1.1"),
		Cookies: []harNV{}, Headers: harHeaders(resp.Header),
		Content:     harContent{Size: int(resp.Size()), MimeType: resp.Header.Get("Content-Type")},
		HeadersSize: -1, BodySize: int(resp.Size()),
	}
	switch {
	case resp.Body == "":
	case utf8.ValidString(resp.Body):
		out.Content.Text = resp.Body
	default:
		out.Content.Text, out.Content.Encoding = base64.StdEncoding.EncodeToString([]byte(resp.Body)), "base64"
	}
	if resp.Truncated {
		out.Comment = "body cut at errprobe's read cap (--max-body)"
	}
	return out
}

func harHeaders(h http.Header) []harNV {
	out := []harNV{}
	for _, k := range sortedKeys(h) {
		for _, v := range h[k] {
			out = append(out, harNV{k, v})
		}
	}
	return out
}

func sortedQueryKeys(q url.Values) []string {
	return sortedKeys(http.Header(q))
}

package learn

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Profile writes the learned profile: YAML with what each request got
// quoted in comments, and a comment on every guess.
func Profile(in *Inferred, o Options) []byte {
	var b strings.Builder
	line := func(indent int, s string) { b.WriteString(strings.Repeat("  ", indent) + s + "\n") }
	comment := func(indent int, format string, args ...any) {
		line(indent, "# "+strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " "))
	}
	comment(0, "errprobe profile learned by `errprobe init --learn %s` from %d responses:", o.Shown(), len(in.Obs))
	for _, ob := range in.Obs {
		comment(0, "  %s", quote(ob))
	}
	comment(0, "What errprobe inferred from them follows; guesses say so. Check them, then: errprobe run --dry-run, errprobe run.")
	line(0, "name: learned")
	line(0, "description: "+strconv.Quote("Learned from "+o.Shown()))
	if o.Shown() != o.BaseURL {
		comment(0, "The URL's user:password is not written here: give credentials through auth (auth.basic with ${VARIABLES}).")
	}
	line(0, "base_url: "+strconv.Quote(o.Shown()))
	b.WriteString("\n")

	line(0, "envelope:")
	if in.Schema == nil {
		comment(1, "No error response had a JSON body: errprobe accepts any body; write your error schema here.")
		line(1, "schema: {}")
	} else {
		comment(1, "The members all %d JSON error bodies shared, each with the JSON type they agreed on (a loose schema: tighten it).", len(in.errors))
		s, _ := json.MarshalIndent(in.Schema, "    ", "  ")
		line(1, "schema: "+string(s))
	}
	for _, role := range []string{"code", "message", "details", "request_id", "status"} {
		if p := in.Pointers[role]; p != "" {
			comment(1, "guess: the %s is the member %s (by its name).", role, p)
			line(1, role+": "+strconv.Quote(p))
		}
	}
	if len(in.ContentTypes) > 0 {
		comment(1, "The Content-Types the error responses carried.")
		line(1, "content_types: "+jsonList(in.ContentTypes))
	}
	b.WriteString("\n")

	line(0, "codes:")
	if len(in.Codes) == 0 {
		comment(1, "No error code was seen (no code member): the expectations below are by status only.")
		line(1, "{}")
	}
	names := make([]string, 0, len(in.Codes))
	for c := range in.Codes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		line(1, strconv.Quote(c)+": {status: "+statusList(in.Codes[c])+"}")
	}
	b.WriteString("\n")

	line(0, "auth:")
	switch {
	case in.AuthHeader == "":
		comment(1, "guess: neither X-API-Key nor Authorization: Bearer was accepted (or ERRPROBE_API_KEY was unset); X-API-Key assumed.")
		line(1, "header: X-API-Key")
	default:
		comment(1, "The unknown route answered without refusing the key sent this way.")
		line(1, "header: "+in.AuthHeader)
		if in.AuthScheme != "" {
			line(1, "scheme: "+in.AuthScheme)
		}
	}
	line(1, "keys:")
	line(2, "valid: ${"+orDefault(o.KeyEnv, "ERRPROBE_API_KEY")+"}")
	b.WriteString("\n")

	if in.RequestIDHeader != "" {
		comment(0, "Every response carried %s.", in.RequestIDHeader)
		line(0, "request_id:")
		line(1, "header: "+in.RequestIDHeader)
		b.WriteString("\n")
	}
	line(0, "rate_limit:")
	switch in.RateLimit.family {
	case "legacy":
		comment(1, "The keyed responses carried %s, %s and %s; reset read as %s (guess from its value).",
			in.RateLimit.limit, in.RateLimit.remaining, in.RateLimit.reset, in.RateLimit.mode)
		line(1, "headers: legacy")
		line(1, "limit_header: "+in.RateLimit.limit)
		line(1, "remaining_header: "+in.RateLimit.remaining)
		line(1, "reset_header: "+in.RateLimit.reset)
		line(1, "reset: "+in.RateLimit.mode)
	case "ietf":
		comment(1, "The keyed responses carried the IETF RateLimit fields.")
		line(1, "headers: ietf")
		line(1, "reset: delta")
	default:
		comment(1, "No rate-limit headers were seen.")
		line(1, "headers: none")
	}
	comment(1, "No 429 was provoked (learn sends no burst): whether Retry-After comes with one, and its code, are not known.")
	b.WriteString("\n")

	line(0, "endpoints:")
	p := strings.TrimRight(o.Path, "/")
	if ob := in.observed("the collection, with the key"); p != "" && ob != nil && (ob.Err != "" || ob.Status >= 400) {
		comment(1, "GET %s was refused (%s): errprobe does not send its probes to a route it saw refuse them. "+
			"Add list, create and item here.", p, orDefault(ob.Err, strconv.Itoa(ob.Status)))
		line(1, "unknown_route: "+unknownRoute)
	} else if p != "" {
		line(1, "list: "+strconv.Quote("GET "+p))
		line(1, "item: "+strconv.Quote(p+"/{id}"))
		if e, ok := in.Expect["not_found"]; ok && e.status == 404 {
			line(1, "missing_id: errprobe-unknown-id-0000")
		} else if _, ok := in.Expect["invalid_id"]; ok {
			comment(1, "An id of errprobe's own shape was refused as malformed: write a well-formed id that names nothing as missing_id.")
			line(1, "malformed_id: errprobe-unknown-id-0000")
		}
	} else {
		comment(1, "No collection path was given (--path): probes that need one are skipped. Add list, create and item here.")
		line(1, "unknown_route: "+unknownRoute)
	}
	b.WriteString("\n")

	line(0, "expect:")
	if len(in.Expect) == 0 {
		line(1, "{}")
	}
	for _, sit := range []string{"missing_key", "invalid_key", "unknown_route", "not_found", "invalid_id", "malformed_json", "method_not_allowed"} {
		e, ok := in.Expect[sit]
		if !ok {
			continue
		}
		comment(1, "%s.", e.why)
		if e.code != "" {
			line(1, sit+": "+strconv.Quote(e.code))
		} else {
			line(1, sit+": {status: "+strconv.Itoa(e.status)+"}")
		}
	}
	return []byte(b.String())
}

// quote renders one observation on one line: request, status, type, body.
func quote(ob Observation) string {
	if ob.Err != "" {
		return ob.Method + " " + ob.Path + " (" + ob.Purpose + "): " + ob.Err
	}
	body := strings.Join(strings.Fields(string(ob.Body)), " ")
	if len(body) > 140 {
		body = body[:140] + "…"
	}
	return fmt.Sprintf("%s %s (%s) → %d %s %s", ob.Method, ob.Path, ob.Purpose, ob.Status, mediaType(ob.Header.Get("Content-Type")), body)
}

func jsonList(v []string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func statusList(st []int) string {
	if len(st) == 1 {
		return strconv.Itoa(st[0])
	}
	parts := make([]string, len(st))
	for i, s := range st {
		parts[i] = strconv.Itoa(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

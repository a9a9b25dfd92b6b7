package checks

import (
	"errors"
	"fmt"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/wire"
)

// track remembers resources a create call made, so cleanup can delete them.
// A create that reached the server but whose answer never came whole (a
// timeout, a reset, an interrupt) may have made one all the same: it is a
// possible leftover, reported with its request.
func (s *session) track(c call, ex *report.Exchange, reached bool) {
	cr := s.p.Endpoints.Create
	if c.method != createMethod(s.p) || pathOnly(c.path) != cr.Path {
		return
	}
	if ex.Response == nil {
		if reached && ex.Err != "" {
			s.possibleLeftover(ex)
		}
		return
	}
	if ex.Response.Status/100 != 2 {
		return
	}
	id, ok := extractID(s.p, ex.Response.Body)
	if !ok {
		if ex.Err != "" { // created, but the body with its id was cut short
			s.possibleLeftover(ex)
		}
		return
	}
	k := c.key
	if c.auth != nil || k == roleNone {
		k = roleValid
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.created {
		if c.id == id {
			return
		}
	}
	s.created = append(s.created, created{id: id, key: k, by: ex.Request.Method + " " + cr.Path})
}

// untrack forgets a resource a probe deleted itself.
func (s *session) untrack(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.created {
		if c.id == id {
			s.created = append(s.created[:i], s.created[i+1:]...)
			return
		}
	}
}

// possibleLeftover records a create whose answer never came.
func (s *session) possibleLeftover(ex *report.Exchange) {
	body := ex.Request.Body
	if len(body) > 200 {
		body = body[:200] + "…"
	}
	line := fmt.Sprintf("possibly created, no answer (%s): %s %s", ex.Err, ex.Request.Method, ex.Request.URL)
	if body != "" {
		line += " " + body
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.possible = append(s.possible, line)
}

// neverSent: the request cannot have reached the server (no connection,
// the budget, another host, an untrusted certificate).
func neverSent(err error) bool {
	return wire.IsDialError(err) || wire.IsCertError(err) || errors.Is(err, wire.ErrBudget) || errors.Is(err, wire.ErrOffHost)
}

func (s *session) possibleLeftovers() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.possible...)
}

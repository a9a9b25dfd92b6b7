package checks

// track remembers resources a create call made, so cleanup can delete them.
func (s *session) track(c call, ex *Exchange) {
	cr := s.p.Endpoints.Create
	if ex.Response == nil || ex.Response.Status/100 != 2 || c.method != createMethod(s.p) || pathOnly(c.path) != cr.Path {
		return
	}
	id, ok := extractID(s.p, ex.Response.Body)
	if !ok {
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

package cmd

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"
)

// onceString is a single-valued string flag that refuses a second value:
// `--junit a.xml --junit b.xml` would otherwise keep b.xml and silently
// drop the report the user asked for first.
type onceString struct {
	p    *string
	name string
	set  bool
}

var _ pflag.Value = (*onceString)(nil)

func (o *onceString) String() string { return *o.p }
func (o *onceString) Type() string   { return "string" }

func (o *onceString) Set(v string) error {
	if o.set {
		return &repeatedFlagError{name: o.name, first: *o.p, second: v}
	}
	*o.p, o.set = v, true
	return nil
}

// repeatedFlagError is a single-valued flag given twice.
type repeatedFlagError struct{ name, first, second string }

func (e *repeatedFlagError) Error() string {
	return fmt.Sprintf("--%s given twice (%q, then %q): it takes one value; give it once", e.name, e.first, e.second)
}

// onceStringVar registers a single-valued string flag (see onceString).
func onceStringVar(fs *pflag.FlagSet, p *string, name, value, usage string) {
	*p = value
	fs.Var(&onceString{p: p, name: name}, name, usage)
}

// flagError turns a flag parsing error into a usage error (exit 2), saying
// a repeated single-valued flag plainly.
func flagError(err error) error {
	var rep *repeatedFlagError
	if errors.As(err, &rep) {
		return usageError(rep)
	}
	return usageError(err)
}

package reporters

import "github.com/fatih/color"

// styles are the Text reporter's color styles. Color is switched per style
// object, never through fatih/color's global switch.
type styles struct {
	pass, fail, skip, known, fixed, warn, dim, bold, banner, security *color.Color
}

func newStyles(enabled bool) styles {
	s := styles{
		pass:   color.New(color.FgGreen),
		fail:   color.New(color.FgRed, color.Bold),
		skip:   color.New(color.FgHiBlack),
		known:  color.New(color.FgYellow),
		fixed:  color.New(color.FgCyan),
		warn:   color.New(color.FgYellow),
		dim:    color.New(color.Faint),
		bold:   color.New(color.Bold),
		banner: color.New(color.FgHiWhite, color.BgRed, color.Bold),
		// security findings stand out in any palette: inverse magenta.
		security: color.New(color.FgMagenta, color.Bold, color.ReverseVideo),
	}
	for _, c := range []*color.Color{s.pass, s.fail, s.skip, s.known, s.fixed, s.warn, s.dim, s.bold, s.banner, s.security} {
		if enabled {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return s
}

package cmd

import (
	"bytes"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// bashWords is the one line of cobra's bash script that needs the
// bash-completion package (_get_comp_words_by_ref); without the package,
// TAB printed "_get_comp_words_by_ref: command not found".
const bashWords = "    _get_comp_words_by_ref \"$@\" cur prev words cword\n"

// bashWordsFallback uses the package where it is loaded, and otherwise
// splits the line up to the cursor at blanks only — so "--fail-on=" and
// "--suite auth," stay one word, as the package would keep them.
const bashWordsFallback = `    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref "$@" cur prev words cword
    else
        # No bash-completion package: errprobe's own split, at blanks.
        local line=${COMP_LINE:0:COMP_POINT}
        read -ra words <<< "$line"
        [[ -z $line || $line == *[[:blank:]] ]] && words+=("")
        cword=$(( ${#words[@]} - 1 ))
        cur=${words[cword]}
        prev=${words[cword-1]}
    fi
`

// bashWithoutPackage makes cobra's bash completion script work whether or
// not the bash-completion package is loaded.
func bashWithoutPackage(script string) string {
	return strings.Replace(script, bashWords, bashWordsFallback, 1)
}

// completeWithoutPackage has `errprobe completion bash` write that script.
func completeWithoutPackage(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		for _, sh := range c.Commands() {
			if sh.Name() != "bash" {
				continue
			}
			sh.RunE = func(cmd *cobra.Command, _ []string) error {
				noDesc, _ := cmd.Flags().GetBool("no-descriptions")
				var b bytes.Buffer
				if err := cmd.Root().GenBashCompletionV2(&b, !noDesc); err != nil {
					return err
				}
				_, err := io.WriteString(cmd.OutOrStdout(), bashWithoutPackage(b.String()))
				return err
			}
		}
	}
}

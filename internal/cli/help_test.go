package cli

import (
	"flag"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Help shows flags as the README writes them (--name PLACEHOLDER), every value flag has a
// placeholder of its own (not the flag package's "value"/"string"/"int"), and no usage
// repeats its placeholder in parentheses.
func TestHelpShowsDoubleDashFlagsWithPlaceholders(t *testing.T) {
	generic := map[string]bool{"value": true, "string": true, "int": true, "uint": true, "float": true, "duration": true}
	singleDash := regexp.MustCompile(`(?m)^\s+-[a-z]`)
	for _, c := range commands {
		t.Run(c.path, func(t *testing.T) {
			code, stdout, stderr := cli(t, append([]string{"help"}, strings.Fields(c.path)...)...)
			require.Equal(t, exitOK, code, stderr)
			require.False(t, singleDash.MatchString(stdout), "single-dash flag in help:\n%s", stdout)
			fs := c.flagSet()
			c.setup(fs)
			fs.VisitAll(func(f *flag.Flag) {
				placeholder, usage := flagPlaceholder(f)
				require.Contains(t, stdout, "  --"+f.Name)
				if placeholder == "" {
					return
				}
				require.False(t, generic[placeholder], "--%s has no placeholder of its own (%q): quote one in its usage", f.Name, placeholder)
				require.NotContains(t, usage, "("+placeholder+")", "--%s repeats its placeholder", f.Name)
				require.Contains(t, stdout, "  --"+f.Name+" "+placeholder+"\n")
			})
		})
	}
}

// The flag package's errors are reworded in --flag style, each one line.
func TestFlagErrorsUseDoubleDashes(t *testing.T) {
	guest := exitGuest(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", guest, "--frob"}, "unknown flag --frob"},
		{[]string{"run", guest, "-frob"}, "unknown flag --frob"},
		{[]string{"run", guest, "--json"}, "--json needs a value"},
		{[]string{"run", guest, "--workers", "two"}, `--workers "two": not a valid value`},
		{[]string{"vectors", "--go-only=maybe"}, `--go-only "maybe": not a valid value`},
		{[]string{"run", guest, "--range", "5"}, `--range "5": "5" is not a step range A:B`},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, c.args...)
		require.Equal(t, exitUsage, code)
		requireOneLine(t, stderr, c.want)
		require.NotRegexp(t, `(^|\s)-[a-z]`, strings.TrimPrefix(stderr, "fpvmdiff "), "single-dash flag in: %s", stderr)
	}
}

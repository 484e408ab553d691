package gitfixture

import (
	"fmt"
	"os"
	"strings"
)

// AddConfig appends key-value pairs ("user.name", "N", "gpg.ssh.program",
// "/bin/signer", ...) to the git config file, a section each, as git
// config sets them (the last value of a key wins), without starting git.
// Keys are section.name or section.subsection.name.
func AddConfig(file string, kv ...string) error {
	if len(kv)%2 != 0 {
		return fmt.Errorf("gitfixture: config %v: a key without its value", kv)
	}
	var b strings.Builder
	quote := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	for i := 0; i < len(kv); i += 2 {
		dot := strings.LastIndex(kv[i], ".")
		if dot <= 0 {
			return fmt.Errorf("gitfixture: config key %q: no section", kv[i])
		}
		section, sub, _ := strings.Cut(kv[i][:dot], ".")
		if sub != "" {
			section += ` "` + quote.Replace(sub) + `"`
		}
		fmt.Fprintf(&b, "[%s]\n\t%s = \"%s\"\n", section, kv[i][dot+1:], quote.Replace(kv[i+1]))
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("gitfixture: %w", err)
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return fmt.Errorf("gitfixture: %w", err)
	}
	return f.Close()
}

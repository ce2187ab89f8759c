package survey

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

// commonPasswordsText is the password list of zxcvbn-ts
// (@zxcvbn-ts/language-common 4.1.3 on npm, src/passwords.json: 49,233
// passwords most frequent in leaked sets, from Dropbox's zxcvbn), MIT
// licensed (commonpasswords_LICENSE.txt), lowercased, deduplicated and
// sorted one a line. ASVS 2.1.7: a password on it is among the first an
// attacker tries, whatever its length.
//
//go:embed commonpasswords.txt
var commonPasswordsText string

// commonPasswords is the list as a sorted slice of strings that point into
// the embedded text (no copy): about 0.8 MB of headers, made on first use
// so that commands that never set a password never pay for it.
var commonPasswords = sync.OnceValue(func() []string {
	list := strings.Split(strings.TrimSpace(commonPasswordsText), "\n")
	if !sort.StringsAreSorted(list) {
		sort.Strings(list)
	}
	return list
})

// isCommonPassword reports whether password, ignoring case and surrounding
// spaces, is on the list: attackers try case variants of it too.
func isCommonPassword(password string) bool {
	p := strings.ToLower(strings.TrimSpace(password))
	list := commonPasswords()
	i := sort.SearchStrings(list, p)
	return i < len(list) && list[i] == p
}

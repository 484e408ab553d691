// Package goproxy asks a Go module proxy what it knows of a module
// version. The proxy caches the first commit it sees for a version and
// never forgets it, even after the git tag is deleted, so a release checks
// the proxy before it tags and warms it after it pushes.
package goproxy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/mod/module"
)

// Sentinel errors, wrapped by the errors this package returns.
var (
	ErrNotFound    = errors.New("not known to the proxy")
	ErrUnreachable = errors.New("proxy unreachable")
	ErrNoProxy     = errors.New("no module proxy in GOPROXY")
)

// FirstProxy returns the first entry of a GOPROXY list (comma or pipe
// separated) that is a proxy URL, not "off" or "direct"; "" means the
// default, proxy.golang.org. "off" before any proxy is [ErrNoProxy].
func FirstProxy(goproxy string) (string, error) {
	if strings.TrimSpace(goproxy) == "" {
		return "https://proxy.golang.org", nil
	}
	for _, e := range strings.FieldsFunc(goproxy, func(r rune) bool { return r == ',' || r == '|' }) {
		switch e = strings.TrimSpace(e); e {
		case "direct", "":
		case "off":
			return "", fmt.Errorf("%w: GOPROXY=%s turns the proxy off", ErrNoProxy, goproxy)
		default:
			return strings.TrimRight(e, "/"), nil
		}
	}
	return "", fmt.Errorf("%w: GOPROXY=%s names none", ErrNoProxy, goproxy)
}

// Origin is where the proxy got a version from.
type Origin struct {
	VCS, URL, Subdir, Ref, Hash string
}

// Info is the proxy's answer to <module>/@v/<version>.info.
type Info struct {
	Version string
	Time    time.Time
	Origin  *Origin
}

// Client asks one proxy.
type Client struct {
	URL  string       // the proxy's base URL, from [FirstProxy]
	HTTP *http.Client // nil means http.DefaultClient
}

// Info returns what the proxy knows of module@version: [ErrNotFound] if
// nothing, [ErrUnreachable] if it could not be asked.
func (c *Client) Info(ctx context.Context, modulePath, version string) (*Info, error) {
	escPath, err := module.EscapePath(modulePath)
	if err != nil {
		return nil, err
	}
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return nil, err
	}
	url := c.URL + "/" + escPath + "/@v/" + escVer + ".info"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, c.URL, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return nil, fmt.Errorf("%s@%s: %w", modulePath, version, ErrNotFound)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("%w: %s answered %s for %s@%s", ErrUnreachable, c.URL, resp.Status, modulePath, version)
	}
	var info Info
	if err := json.NewDecoder(resp.Body).Decode(&info); err != nil {
		return nil, fmt.Errorf("%s@%s: the proxy's answer does not decode: %w", modulePath, version, err)
	}
	return &info, nil
}

// Module is a module version expected at a commit.
type Module struct{ Path, Version, Commit string }

// State is what the proxy knows of a module version.
type State int

const (
	New      State = iota // the proxy does not know the version
	Done                  // it knows it at the expected commit
	Conflict              // it knows it at another commit: the version is burnt
)

func (s State) String() string { return [...]string{"new", "done", "CONFLICT"}[s] }

// Result is one module's state; Commit is the proxy's commit, if any.
type Result struct {
	Module
	State  State
	Commit string
}

// Check asks the proxy about every module version. An unreachable proxy
// is an error wrapping [ErrUnreachable], for the caller to report and go on
// with the git checks alone.
func (c *Client) Check(ctx context.Context, mods []Module) ([]Result, error) {
	out := make([]Result, 0, len(mods))
	for _, m := range mods {
		r := Result{Module: m}
		info, err := c.Info(ctx, m.Path, m.Version)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return nil, err
		case info.Origin == nil || info.Origin.Hash == "":
			r.State = Done // a proxy that does not say the commit: nothing to compare
		case info.Origin.Hash == m.Commit:
			r.State, r.Commit = Done, info.Origin.Hash
		default:
			r.State, r.Commit = Conflict, info.Origin.Hash
		}
		out = append(out, r)
	}
	return out, nil
}

// Conflicts returns the results' conflicts as one error, nil if none.
func Conflicts(results []Result) error {
	var lines []string
	for _, r := range results {
		if r.State == Conflict {
			lines = append(lines, fmt.Sprintf("%s@%s is at %s, not %s", r.Path, r.Version, short(r.Commit), short(r.Module.Commit)))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("the module proxy already knows %s: those versions can never point elsewhere; release the next version", strings.Join(lines, "; "))
}

// WarmOptions bound how long Warm waits for a version to appear.
type WarmOptions struct {
	Initial, MaxWait time.Duration // first retry delay (doubling), total wait per module
	// Sleep waits d or until ctx ends; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Warm requests every module version in order, so the proxy fetches them
// now, retrying not-found answers with exponential backoff for at most
// MaxWait per module, and checks that the proxy's commit is the expected
// one.
func (c *Client) Warm(ctx context.Context, mods []Module, o WarmOptions) error {
	if o.Initial <= 0 {
		o.Initial = time.Second
	}
	if o.MaxWait <= 0 {
		o.MaxWait = 2 * time.Minute
	}
	sleep := o.Sleep
	if sleep == nil {
		sleep = func(ctx context.Context, d time.Duration) error {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-t.C:
				return nil
			}
		}
	}
	for _, m := range mods {
		waited, delay := time.Duration(0), o.Initial
		for {
			info, err := c.Info(ctx, m.Path, m.Version)
			if err == nil {
				if info.Origin != nil && info.Origin.Hash != "" && info.Origin.Hash != m.Commit {
					return fmt.Errorf("%s@%s: the proxy has %s, not the tagged %s", m.Path, m.Version, short(info.Origin.Hash), short(m.Commit))
				}
				break
			}
			if !errors.Is(err, ErrNotFound) || waited >= o.MaxWait {
				return fmt.Errorf("warm %s@%s: %w", m.Path, m.Version, err)
			}
			if err := sleep(ctx, delay); err != nil {
				return err
			}
			waited += delay
			delay *= 2
		}
	}
	return nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

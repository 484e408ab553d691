package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/confidential-containers/release-tools/github"
	"github.com/confidential-containers/release-tools/oci"
	"github.com/confidential-containers/release-tools/release/config"
)

// ReleaseEvent is the event whose workflow runs a release starts.
const ReleaseEvent = "release"

// Checker checks a release against GitHub and the registries.
type Checker struct {
	GitHub *github.Client
	// Registry asks the registries; nil asks none, and each artifact is
	// reported as not known.
	Registry *oci.Client
	// Published are the artifacts the release publishes.
	Published []config.Artifact
	// Progress is told what [Checker.Wait] waits for; nil tells nobody.
	Progress io.Writer
}

// Check checks the release the facts f describe, once: the release
// published on the module tags' commit, the runs of its release event on
// that commit with their jobs, and every published artifact.
func (c Checker) Check(ctx context.Context, f Facts) *Report {
	r := c.CheckRuns(ctx, f)
	c.CheckArtifacts(ctx, r)
	return r
}

// checkRelease adds what is wrong with the release itself.
func checkRelease(r *Report) {
	f := r.Facts
	switch {
	case f.Release == nil:
		r.fail("there is no GitHub release %s on %s", f.Version, f.Repo)
	case f.Release.Draft:
		r.fail("the GitHub release %s is a draft, not published: %s", f.Version, f.Release.URL)
	case f.TagCommit == "":
		r.fail("the GitHub release %s has no tag %s on the remote: %s", f.Version, f.Version, f.Release.URL)
	case f.TagCommit != f.Commit:
		r.fail("the GitHub release %s is on %s (its tag), not on %s where the module tags are: %s", f.Version, short(f.TagCommit), short(f.Commit), f.Release.URL)
	}
}

// CheckRuns is the first half of [Checker.Check]: the release, and the
// runs of its release event on the release's commit with their jobs (the
// newest run of each workflow counts). A caller that only follows a
// release (status) asks the registries with [Checker.CheckArtifacts] once
// the runs have finished.
func (c Checker) CheckRuns(ctx context.Context, f Facts) *Report {
	r := &Report{Facts: f}
	checkRelease(r)
	sha := f.TagCommit
	if sha == "" {
		sha = f.Commit
	}
	runs, err := c.GitHub.Runs(ctx, ReleaseEvent, sha)
	if err != nil {
		r.unknownErr(err, "the workflow runs of the %s event on %s: %v", ReleaseEvent, short(sha), err)
		return r
	}
	seen := map[string]bool{}
	for _, run := range runs { // newest first
		if seen[run.Name] {
			continue
		}
		seen[run.Name] = true
		jobs, err := c.GitHub.Jobs(ctx, run.ID)
		if err != nil {
			r.unknownErr(err, "the jobs of run %s (%s): %v", run.Name, run.URL, err)
		}
		r.Runs = append(r.Runs, RunResult{Run: run, Jobs: jobs})
	}
	if len(r.Runs) == 0 {
		r.unknown("no workflow run of the %s event on %s yet (GitHub starts them when the release is published)", ReleaseEvent, short(sha))
	}
	for _, run := range r.Runs {
		failedJob := false
		for _, j := range run.Jobs {
			switch {
			case !j.Done():
				r.unknown("job %s of %s is %s: %s", j.Name, run.Run.Name, state(j.Status, ""), j.URL)
			case !github.Green(j.Conclusion):
				failedJob = true
				r.fail("job %s of %s: %s: %s", j.Name, run.Run.Name, j.Conclusion, j.URL)
			}
		}
		switch {
		case !run.Run.Done() && !slices.ContainsFunc(run.Jobs, func(j github.Job) bool { return !j.Done() }):
			r.unknown("run %s is %s: %s", run.Run.Name, state(run.Run.Status, ""), run.Run.URL)
		case run.Run.Done() && !github.Green(run.Run.Conclusion) && !failedJob:
			r.fail("run %s: %s: %s", run.Run.Name, run.Run.Conclusion, run.Run.URL)
		}
	}
	return r
}

// CheckArtifacts adds to r what the registries say of every published
// artifact.
func (c Checker) CheckArtifacts(ctx context.Context, r *Report) {
	f := r.Facts
	for _, a := range c.Published {
		ref, err := a.Expand(f.Version.String(), f.ChartVersion)
		if err != nil {
			r.unknown("%v", err)
			continue
		}
		res := ArtifactResult{Ref: ref, Chart: a.NeedsChartVersion(), Platforms: a.Platforms}
		if c.Registry == nil {
			r.Artifacts = append(r.Artifacts, res)
			r.unknown("%s: the registry was not asked", ref)
			continue
		}
		parsed, err := name.ParseReference(ref)
		if err != nil {
			r.Artifacts = append(r.Artifacts, res)
			r.unknown("parsing reference %q: %v", ref, err)
			continue
		}
		if len(a.Platforms) == 0 {
			_, res.Found, err = c.Registry.Head(ctx, parsed)
		} else {
			var have []string
			var index bool
			have, index, res.Found, err = c.Registry.Platforms(ctx, parsed)
			if err == nil && res.Found {
				missing := slices.DeleteFunc(slices.Clone(a.Platforms), func(p string) bool { return slices.Contains(have, p) })
				switch {
				case !index:
					r.fail("%s is a single image (%s), not the multi-arch index of %s the workflow builds", ref, strings.Join(have, ", "), strings.Join(a.Platforms, ", "))
				case len(missing) > 0:
					r.fail("%s lacks the platforms %s (it has %s)", ref, strings.Join(missing, ", "), strings.Join(have, ", "))
				}
			}
		}
		res.Asked = err == nil
		r.Artifacts = append(r.Artifacts, res)
		switch {
		case err != nil:
			r.unknown("%s: %v", ref, err)
		case !res.Found:
			r.fail("%s is missing", ref)
		}
	}
}

// Wait is [Checker.Check] that, while a run or job is in progress or
// none has started yet, looks again every poll until they finish or
// timeout passes, telling Progress what it waits for. A rate limit
// GitHub announces (Retry-After, X-RateLimit-Reset) is waited out before
// the next look. ctx's cancellation (Ctrl-C) ends the wait: the report
// says the runs are not known to have finished.
func (c Checker) Wait(ctx context.Context, f Facts, timeout, poll time.Duration) *Report {
	deadline := time.Now().Add(timeout)
	for {
		r := c.CheckRuns(ctx, f)
		next := poll
		if reset := rateLimited(r); !reset.IsZero() {
			next = max(time.Until(reset), time.Second)
			c.say("verify: GitHub's rate limit: waiting %s, until %s\n", next.Round(time.Second), reset.UTC().Format(time.RFC3339))
		} else if !r.InProgress() {
			c.CheckArtifacts(ctx, r)
			return r
		} else {
			c.say("verify: %s; next look in %s\n", pending(r), poll)
		}
		if time.Now().Add(next).After(deadline) {
			r.unknown("still not finished after %s (WAIT_TIMEOUT)", timeout)
			c.CheckArtifacts(ctx, r)
			return r
		}
		select {
		case <-ctx.Done():
			r.unknown("the wait was interrupted (%v): the runs are not known to have finished", context.Cause(ctx))
			return r
		case <-time.After(next):
		}
	}
}

// rateLimited is when GitHub's rate limit resets, if a finding of r is
// one (a minute from now when GitHub did not say); zero otherwise.
func rateLimited(r *Report) time.Time {
	for _, x := range r.Findings {
		var e *github.Error
		if errors.Is(x.Err, github.ErrRateLimited) && errors.As(x.Err, &e) {
			if e.Reset.IsZero() {
				return time.Now().Add(time.Minute)
			}
			return e.Reset
		}
	}
	return time.Time{}
}

// pending says what is not finished.
func pending(r *Report) string {
	if len(r.Runs) == 0 {
		return fmt.Sprintf("no run of the %s event on %s yet", ReleaseEvent, short(r.Facts.Commit))
	}
	var names []string
	for _, run := range r.Runs {
		for _, j := range run.Jobs {
			if !j.Done() {
				names = append(names, j.Name)
			}
		}
		if !run.Run.Done() && len(names) == 0 {
			names = append(names, run.Run.Name)
		}
	}
	return fmt.Sprintf("waiting for %d: %s", len(names), strings.Join(names, ", "))
}

func (c Checker) say(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, format, args...)
	}
}

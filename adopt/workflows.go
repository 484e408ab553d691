package adopt

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// WorkflowsDir is the folder, relative to the repository's root, that
// holds the GitHub Actions workflows [Workflows] writes.
const WorkflowsDir = ".github/workflows"

// TokenSecret is the repository secret the workflows pass to the targets
// as RELEASE_TOOLS_TOKEN: a token that can do what Actions' own
// GITHUB_TOKEN cannot (a pull request that starts CI, a release that
// starts the release workflow, the branch lock). Unset, the workflows
// fall back to GITHUB_TOKEN.
const TokenSecret = "RELEASE_TOOLS_TOKEN"

// Phases are the targets the release-tools workflow offers, in the order
// of a release cycle.
var Phases = []string{
	"status", "deps:sync", "release", "charts:bump", "tags", "github:release",
	"charts:check", "proxy:check", "proxy:warm", "postrelease", "prerelease",
	"github:lock", "github:unlock", "image:pin", "image:unpin", "citation:update",
}

// The actions the workflows use, each pinned to the commit of its
// release (zizmor's unpinned-uses), as cloud-api-adaptor's own workflows
// pin them.
const (
	checkoutAction = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
	setupGoAction  = "actions/setup-go@924ae3a1cded613372ab5595356fb5720e22ba16 # v6.5.0"
)

// Workflows returns the GitHub Actions workflows, keyed by their
// slash-separated path relative to the repository's root:
// [WorkflowsDir]/release-tools.yaml runs a target chosen by hand
// (workflow_dispatch), [WorkflowsDir]/kata-deps-sync.yaml runs `deps:sync
// latest` every day. Both run [Command] with PR=1 in the go version of
// [Dir]/go.mod, take the token from the [TokenSecret] secret or else
// Actions' own, and share one concurrency group, so that two runs never
// write the repository at once.
func Workflows() map[string][]byte {
	return map[string][]byte{
		path.Join(WorkflowsDir, "release-tools.yaml"):  []byte(releaseWorkflow()),
		path.Join(WorkflowsDir, "kata-deps-sync.yaml"): []byte(syncWorkflow),
	}
}

func releaseWorkflow() string {
	var opts strings.Builder
	for _, p := range Phases {
		fmt.Fprintf(&opts, "          - %s\n", p)
	}
	return strings.Replace(releaseTemplate, "{{options}}\n", opts.String(), 1)
}

// steps is the part both workflows share: the checkout without the
// token kept in .git/config (zizmor's artipacked), and Go as .mage/go.mod
// asks, without a cache (zizmor's cache-poisoning: these runs publish).
const steps = `      - name: Check out the repository
        uses: ` + checkoutAction + `
        with:
          fetch-depth: 0
          persist-credentials: false
      - name: Set up Go
        uses: ` + setupGoAction + `
        with:
          go-version-file: ` + Dir + `/go.mod
          cache: false
`

// tokenEnv gives the step the tokens and a git credential helper that
// reads the token from the environment: git pushes with it, and nothing
// is written to .git/config.
const tokenEnv = `          ` + TokenSecret + `: ${{ secrets.` + TokenSecret + ` }}
          GITHUB_TOKEN: ${{ github.token }}
          GIT_CONFIG_COUNT: "1"
          GIT_CONFIG_KEY_0: credential.https://github.com.helper
          GIT_CONFIG_VALUE_0: '!f() { if [ "$1" = get ]; then echo username=x-access-token; echo "password=${` + TokenSecret + `:-$GITHUB_TOKEN}"; fi; }; f'
`

const header = `# Written by adopt -workflows (` + Module + `).
# The token: the repository secret ` + TokenSecret + ` (see the release tools'
# README for the permissions each target needs), else Actions' own
# GITHUB_TOKEN, whose pull requests start no CI and which cannot lock a branch.
`

const releaseTemplate = header + `name: release-tools

on:
  workflow_dispatch:
    inputs:
      target:
        description: The target to run
        required: true
        type: choice
        options:
{{options}}
      args:
        description: "Its arguments, separated by spaces (deps:sync: latest; release: vX.Y.Z imageSHA; tags: vX.Y.Z)"
        required: false
        type: string
        default: ""
      dry_run:
        description: "Plan only: DRY_RUN=1 (unticked: PR=1 and PUSH=1)"
        required: false
        type: boolean
        default: true

permissions: {}

# One run of the release tools at a time, this workflow's or kata-deps-sync's.
concurrency:
  group: release-tools
  cancel-in-progress: false

defaults:
  run:
    shell: bash

jobs:
  run:
    name: Run a release target
    runs-on: ubuntu-24.04
    timeout-minutes: 60
    permissions:
      contents: write # push the phase's branch, the tags, the GitHub release
      pull-requests: write # open or update the phase's pull request
    steps:
` + steps + `      - name: Run the target
        env:
          TARGET: ${{ inputs.target }}
          ARGS: ${{ inputs.args }}
          PLAN_ONLY: ${{ inputs.dry_run }}
` + tokenEnv + `        run: |
          read -r -a args <<< "$ARGS"
          if [ "$PLAN_ONLY" = true ]; then
            export DRY_RUN=1
          else
            export PR=1 PUSH=1
          fi
          ` + Command + ` "$TARGET" "${args[@]}"
`

const syncWorkflow = header + `name: kata-deps-sync

on:
  schedule:
    - cron: "23 5 * * *" # daily
  workflow_dispatch:

permissions: {}

# One run of the release tools at a time, this workflow's or release-tools'.
concurrency:
  group: release-tools
  cancel-in-progress: false

defaults:
  run:
    shell: bash

jobs:
  sync:
    name: Sync to the latest Kata Containers release
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    permissions:
      contents: write # push release/deps-sync-<version>
      pull-requests: write # open its pull request
    steps:
` + steps + `      - name: deps:sync latest
        env:
          PR: "1"
` + tokenEnv + `        run: ` + Command + ` deps:sync latest
`

// ErrWorkflowExists is returned when a workflow file exists already;
// nothing is written then.
var ErrWorkflowExists = errors.New("adopt: refusing to overwrite existing workflows")

// CheckWorkflows returns an error wrapping [ErrWorkflowExists] that
// names the files of files that exist below root, and nil if none does:
// what [WriteWorkflows] would refuse.
func CheckWorkflows(root string, files map[string][]byte) error {
	var exist []string
	for _, name := range Names(files) {
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(name))); err == nil {
			exist = append(exist, name)
		} else if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("adopt: %w", err)
		}
	}
	if len(exist) > 0 {
		return fmt.Errorf("%w: %s; nothing written: remove them to write them afresh", ErrWorkflowExists, strings.Join(exist, ", "))
	}
	return nil
}

// WriteWorkflows writes files (from [Workflows]) below root. If one of
// them exists, it writes none and returns the error of [CheckWorkflows].
func WriteWorkflows(root string, files map[string][]byte) error {
	if err := CheckWorkflows(root, files); err != nil {
		return err
	}
	return writeFiles(root, files)
}

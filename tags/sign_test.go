package tags_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/stretchr/testify/require"

	"github.com/confidential-containers/release-tools/internal/gitfixture"
	"github.com/confidential-containers/release-tools/internal/slow"
	"github.com/confidential-containers/release-tools/tags"
)

var allTags = append(append([]string(nil), caaOrder...), "v0.13.0")

var signOpts = tags.Options{Exclude: []string{podvm}, TopLevel: true, Sign: true}

// isolateGit keeps git away from the user's configuration and keys: HOME,
// XDG_CONFIG_HOME and the global config are temporary, the system config is
// not read. It returns the global config file, for gitConfig.
func isolateGit(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	global := filepath.Join(home, ".gitconfig")
	require.NoError(t, os.WriteFile(global, nil, 0o644))
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_GLOBAL", global)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GNUPGHOME", filepath.Join(home, ".gnupg"))
	t.Setenv("SSH_AUTH_SOCK", "")
	return global
}

// gitConfig sets key pairs ("gpg.format", "ssh", ...) in a config file.
func gitConfig(t *testing.T, file string, kv ...string) {
	t.Helper()
	require.NoError(t, gitfixture.AddConfig(file, kv...))
}

// keyPair is an ed25519 key without passphrase, made once.
var keyPair = gitfixture.Template{Build: func(dirs ...string) error {
	out, err := exec.Command("ssh-keygen", "-t", "ed25519", "-N", "", "-C", "test", "-f", filepath.Join(dirs[0], "key"), "-q").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, out)
	}
	return nil
}}

// sshKey writes an ed25519 key without passphrase and returns the private
// key file and the public key line. It skips the test without ssh-keygen.
func sshKey(t *testing.T) (key, pub string) {
	t.Helper()
	slow.Git(t) // signing starts git and ssh-keygen
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not found:", err)
	}
	dir := t.TempDir()
	require.NoError(t, keyPair.Copy(dir))
	key = filepath.Join(dir, "key")
	data, err := os.ReadFile(key + ".pub")
	require.NoError(t, err)
	return key, strings.TrimSpace(string(data))
}

// sshSigning configures ssh signing with a new key in the global config,
// and a verifier that trusts it for the fixture's committer.
func sshSigning(t *testing.T, global string) (key string) {
	t.Helper()
	key, pub := sshKey(t)
	allowed := filepath.Join(t.TempDir(), "allowed_signers")
	require.NoError(t, os.WriteFile(allowed, []byte(gitfixture.Email+" "+pub+"\n"), 0o644))
	gitConfig(t, global, "gpg.format", "ssh", "user.signingKey", key+".pub", "gpg.ssh.allowedSignersFile", allowed)
	return key
}

// tagObject reads the tag object that name points at in the repository at dir.
func tagObject(t *testing.T, dir, name string) *object.Tag {
	t.Helper()
	repo, err := git.PlainOpen(dir)
	require.NoError(t, err)
	ref, err := repo.Tag(name)
	require.NoError(t, err)
	obj, err := repo.TagObject(ref.Hash())
	require.NoError(t, err, "%s is not an annotated tag", name)
	return obj
}

// checkSignedRemote checks that every tag is on the remote, on the commit,
// as a tag object whose signature git verifies and that go-git reads into
// PGPSignature, beginning with begin.
func checkSignedRemote(t *testing.T, r fixtureRepo, begin, good string) {
	t.Helper()
	remote := tagsOf(t, r.remote)
	require.Len(t, remote, len(allTags))
	for _, name := range allTags {
		require.Equal(t, r.head(t), remote[name], name)
		obj := tagObject(t, r.remote, name)
		require.Equal(t, "v0.13.0\n", obj.Message, name)
		require.True(t, strings.HasPrefix(obj.PGPSignature, begin), "%s: signature %q", name, obj.PGPSignature)
	}
	out := gitfixture.Git(t, r.remote, append([]string{"tag", "-v"}, allTags...)...)
	require.Equal(t, len(allTags), strings.Count(out, good), "a good signature on every tag:\n%s", out)
}

// TestSignSSH: the tags are signed with the user's ssh key, a tag signed
// by hand beforehand is pushed as it is, and git's repository variables in
// the environment (set when mage runs from a git hook or `git rebase -x`)
// do not make git tag -s sign in another repository.
func TestSignSSH(t *testing.T) {
	start := time.Now()
	global := isolateGit(t)
	sshSigning(t, global)
	r := newRepo(t)
	// One tag signed by hand beforehand is pushed as it is.
	gitfixture.Git(t, r.dir, "tag", "-s", "-m", "v0.13.0", caaOrder[2], r.head(t))
	byHand := tagObject(t, r.dir, caaOrder[2]).Hash

	other := newRepo(t)
	t.Setenv("GIT_DIR", filepath.Join(other.dir, ".git"))
	t.Setenv("GIT_WORK_TREE", other.dir)
	p := plan(t, r.dir, "v0.13.0", signOpts)
	var out strings.Builder
	_, err := p.WriteTo(&out)
	require.NoError(t, err)
	require.Contains(t, out.String(), "  git tag -s -m v0.13.0 src/cloud-providers/v0.13.0 "+r.head(t)+"\n")
	require.NoError(t, p.Apply(context.Background()))
	require.NoError(t, os.Unsetenv("GIT_DIR"))
	require.NoError(t, os.Unsetenv("GIT_WORK_TREE"))
	require.Empty(t, tagsOf(t, other.dir))

	checkSignedRemote(t, r, "-----BEGIN SSH SIGNATURE-----", `Good "git" signature for `+gitfixture.Email)
	require.Equal(t, byHand, tagObject(t, r.remote, caaOrder[2]).Hash, "the tag signed by hand is the one pushed")
	again := plan(t, r.dir, "v0.13.0", signOpts)
	for _, pt := range again.Tags {
		require.Equal(t, tags.Pushed, pt.State, pt.Name)
	}
	t.Logf("ssh signing test: %v", time.Since(start))
}

func TestSignGPG(t *testing.T) {
	slow.Git(t)
	for _, cmd := range []string{"gpg", "gpgconf"} {
		if _, err := exec.LookPath(cmd); err != nil {
			t.Skip(cmd, "not found:", err)
		}
	}
	start := time.Now()
	global := isolateGit(t)
	gnupg := t.TempDir()
	t.Setenv("GNUPGHOME", gnupg)
	t.Cleanup(func() {
		cmd := exec.Command("gpgconf", "--kill", "gpg-agent")
		cmd.Env = append(os.Environ(), "GNUPGHOME="+gnupg)
		_ = cmd.Run()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Test <t@example.com>", "ed25519", "sign", "never").CombinedOutput()
	if err != nil {
		t.Skipf("gpg cannot make a key here: %v\n%s", err, out)
	}
	out, err = exec.Command("gpg", "--list-secret-keys", "--with-colons").Output()
	require.NoError(t, err)
	var fpr string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Split(line, ":"); f[0] == "fpr" && fpr == "" {
			fpr = f[9]
		}
	}
	require.NotEmpty(t, fpr, "%s", out)
	gitConfig(t, global, "gpg.format", "openpgp", "user.signingKey", fpr)

	r := newRepo(t)
	require.NoError(t, plan(t, r.dir, "v0.13.0", signOpts).Apply(ctx))
	checkSignedRemote(t, r, "-----BEGIN PGP SIGNATURE-----", `Good signature from "Test <t@example.com>"`)
	t.Logf("gpg signing test: %v", time.Since(start))
}

// signer writes an executable script for gpg.ssh.program.
func signer(t *testing.T, script string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signer")
	require.NoError(t, os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755))
	return path
}

// TestSignFails: a tag that cannot be signed stops Apply, the tags made
// before it are deleted, and nothing is pushed.
func TestSignFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		// config returns the config pairs, given the signing key.
		config func(t *testing.T, key string) []string
		want   []string
		is     error
	}{{
		name: "missing key",
		config: func(t *testing.T, key string) []string {
			return []string{"user.signingKey", filepath.Join(t.TempDir(), "nokey.pub")}
		},
		// git 2.39 exits 0 here, with an unsigned tag.
		want: []string{"tags: create " + caaOrder[0] + " (nothing was created or pushed)", "set up signing (git config user.signingKey", "nokey.pub"},
		is:   tags.ErrUnsignedTag,
	}, {
		name: "gpg fails",
		config: func(t *testing.T, key string) []string {
			return []string{"gpg.format", "openpgp", "gpg.program", signer(t, `echo "test gpg: no secret key" >&2; exit 2
`)}
		},
		want: []string{"tags: create " + caaOrder[0] + " (nothing was created or pushed)", "set up signing (git config user.signingKey", "git tag -s -m v0.13.0 " + caaOrder[0], "error: gpg failed to sign the data"},
	}, {
		name: "third tag refused",
		config: func(t *testing.T, key string) []string {
			count := filepath.Join(t.TempDir(), "count")
			return []string{"gpg.ssh.program", signer(t, `n=$(cat `+count+` 2>/dev/null || echo 0)
echo $((n+1)) >`+count+`
if [ "$n" -ge 2 ]; then echo "test signer: no more signatures" >&2; exit 1; fi
exec ssh-keygen "$@"
`)}
		},
		want: []string{"tags: create " + caaOrder[2] + " (nothing was pushed, and the 2 tags made before it were deleted)", "test signer: no more signatures"},
		is:   tags.ErrUnsignedTag,
	}, {
		name: "no signature block",
		config: func(t *testing.T, key string) []string {
			return []string{"gpg.ssh.program", signer(t, `for last; do :; done
echo "not a signature" >"$last.sig"
`)}
		},
		want: []string{"tags: create " + caaOrder[0], "exited 0 but made it without a signature, so it was deleted"},
		is:   tags.ErrUnsignedTag,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			global := isolateGit(t)
			key := sshSigning(t, global)
			gitConfig(t, global, tc.config(t, key)...)
			r := newRepo(t)
			err := plan(t, r.dir, "v0.13.0", signOpts).Apply(context.Background())
			require.Error(t, err)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
			if tc.is != nil {
				require.ErrorIs(t, err, tc.is)
			}
			require.Empty(t, tagsOf(t, r.dir), "no local tag left")
			require.Empty(t, tagsOf(t, r.remote), "nothing pushed")
		})
	}
}

// TestSignRefusesUnsigned: with Sign, a tag to push that exists locally
// without a signature (lightweight or annotated) stops Apply before it
// creates anything.
func TestSignRefusesUnsigned(t *testing.T) {
	isolateGit(t)
	r := newRepo(t)
	c := plumbing.NewHash(r.head(t))
	_, err := r.repo.CreateTag(caaOrder[3], c, nil)
	require.NoError(t, err)
	tagger := &object.Signature{Name: gitfixture.Name, Email: gitfixture.Email, When: gitfixture.When}
	_, err = r.repo.CreateTag(caaOrder[4], c, &git.CreateTagOptions{Tagger: tagger, Message: "v0.13.0"})
	require.NoError(t, err)

	err = plan(t, r.dir, "v0.13.0", signOpts).Apply(context.Background())
	require.ErrorIs(t, err, tags.ErrUnsignedTag)
	require.ErrorContains(t, err, caaOrder[3]+", "+caaOrder[4]+" already exist locally without a signature")
	require.ErrorContains(t, err, "git tag -d "+caaOrder[3]+" "+caaOrder[4]+") and re-run")
	require.Equal(t, map[string]string{caaOrder[3]: c.String(), caaOrder[4]: c.String()}, tagsOf(t, r.dir), "nothing created")
	require.Empty(t, tagsOf(t, r.remote), "nothing pushed")
}

// TestWriteToTagFlags: the by-hand commands make the tags Apply makes.
func TestWriteToTagFlags(t *testing.T) {
	r := newRepo(t)
	c := r.head(t)
	for _, tc := range []struct {
		opts tags.Options
		want string
	}{
		{tags.Options{}, "git tag src/webhook/v0.13.0 " + c},
		{tags.Options{Annotated: true}, "git tag -a -m v0.13.0 src/webhook/v0.13.0 " + c},
		{tags.Options{Annotated: true, Message: "release v0.13.0"}, "git tag -a -m 'release v0.13.0' src/webhook/v0.13.0 " + c},
		{tags.Options{Sign: true}, "git tag -s -m v0.13.0 src/webhook/v0.13.0 " + c},
		{tags.Options{Sign: true, Annotated: true, Message: "it's v0.13.0"}, `git tag -s -m 'it'\''s v0.13.0' src/webhook/v0.13.0 ` + c},
	} {
		tc.opts.Exclude = []string{podvm}
		var out strings.Builder
		_, err := plan(t, r.dir, "v0.13.0", tc.opts).WriteTo(&out)
		require.NoError(t, err)
		require.Contains(t, out.String(), "\n  "+tc.want+"\n  git push origin src/webhook/v0.13.0\n", "%+v", tc.opts)
	}
}

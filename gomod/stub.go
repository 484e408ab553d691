package gomod

// STUB: signatures are final; bodies are being written. Delete this file when done.

import (
	"context"
	"errors"
)

var errTODO = errors.New("gomod: not implemented yet")

// ZeroPseudoVersion is the version a require holds when a replace supplies the module.
const ZeroPseudoVersion = "v0.0.0-00010101000000-000000000000"

func Require(gomodFile, module, version string) error { return errTODO }

func RequireBytes(file string, src []byte, module, version string) ([]byte, error) {
	return nil, errTODO
}

func BumpRequires(file string, src []byte, internal []string, version string) ([]byte, error) {
	return nil, errTODO
}

func Tidy(ctx context.Context, dir string) error { return errTODO }

func Get(ctx context.Context, dir, module, query string) error { return errTODO }

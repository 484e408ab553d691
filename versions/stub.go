package versions

// STUB: signatures are final; bodies are being written. Delete this file when done.

import "errors"

var errTODO = errors.New("versions: not implemented yet")

func Get(file, path string) (string, error)                           { return "", errTODO }
func GetBytes(src []byte, path string) (string, error)                { return "", errTODO }
func Has(src []byte, path string) bool                                { return false }
func Set(file, path, value string) error                              { return errTODO }
func SetBytes(src []byte, path, value string) ([]byte, error)         { return nil, errTODO }
func FirstPath(file string, candidates ...string) (string, error)     { return "", errTODO }
func FirstPathBytes(src []byte, candidates ...string) (string, error) { return "", errTODO }

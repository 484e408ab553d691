package steps

// CommandsError is an error that commands of another tool put right, such
// as the git commands that add a remote or catch up with it: the usual one
// first, each an alternative.
type CommandsError struct {
	Commands []string
	Err      error
}

func (e *CommandsError) Error() string { return e.Err.Error() }
func (e *CommandsError) Unwrap() error { return e.Err }

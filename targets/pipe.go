package targets

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// errClosedPipe is the cause of a run cancelled because what reads its
// output is gone.
var errClosedPipe = errors.New("the output's reader is gone (a closed pipe)")

// pipeWatch is a writer that cancels the run when a write fails with
// EPIPE: whatever read the output (head, a pager) has gone.
type pipeWatch struct {
	w      io.Writer
	cancel context.CancelCauseFunc
}

func (p pipeWatch) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		p.cancel(errClosedPipe)
	}
	return n, err
}

// surviveSIGPIPE keeps SIGPIPE from killing the process when it writes
// to a closed standard output or error (the Go runtime's default): the
// write returns EPIPE instead, which [pipeWatch] turns into a
// cancellation. The returned func stops it. The signal is caught, not
// ignored, so the commands the run starts get the default disposition.
func surviveSIGPIPE() func() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGPIPE)
	return func() { signal.Stop(c) }
}

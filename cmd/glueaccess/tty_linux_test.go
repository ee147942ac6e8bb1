package main

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal: the terminal end glueaccess writes to and
// the end the test reads (Linux ioctls TIOCSPTLCK and TIOCGPTN, see
// pty(7)).
func openPTY(t *testing.T) (term, reader *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		ptmx.Close()
		t.Skipf("unlocking the pseudo-terminal: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptmx.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		ptmx.Close()
		t.Skipf("naming the pseudo-terminal: %v", e)
	}
	pts, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		ptmx.Close()
		t.Skipf("opening the pseudo-terminal: %v", err)
	}
	return pts, ptmx
}

// TestColorAutoOnATerminal: --color auto (the default) colours a terminal,
// also when NO_COLOR is set but empty, and not when it is set to a value.
func TestColorAutoOnATerminal(t *testing.T) {
	plan := allowedPlan(t, 1)
	for _, tc := range []struct {
		noColor string // "-" unsets it
		want    bool
	}{{"-", true}, {"", true}, {"1", false}} {
		t.Run("NO_COLOR="+tc.noColor, func(t *testing.T) {
			setNoColor(t, tc.noColor)
			term, reader := openPTY(t)
			done := make(chan []byte)
			go func() {
				var b bytes.Buffer
				_, _ = io.Copy(&b, reader) // ends with EIO once the terminal end is closed
				done <- b.Bytes()
			}()
			var errw bytes.Buffer
			code := run([]string{"validate", "--no-config", plan}, term, &errw)
			term.Close()
			out := string(<-done)
			reader.Close()
			if code != 0 || !strings.Contains(out, "ALLOWED") {
				t.Fatalf("exit %d, stderr %s, output %q", code, errw.String(), out)
			}
			if got := strings.Contains(out, "\x1b[32mALLOWED\x1b[0m"); got != tc.want {
				t.Errorf("colour %v, want %v: %q", got, tc.want, out)
			}
		})
	}
}

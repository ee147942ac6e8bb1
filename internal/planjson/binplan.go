package planjson

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// zipMagic starts every saved plan file: `terraform plan -out` writes a zip
// archive (the plan, the configuration snapshot and the state), which only
// `terraform show -json` turns into the JSON glueaccess reads.
var zipMagic = []byte("PK\x03\x04")

// showTimeout bounds `terraform show -json`; it reads a local file.
const showTimeout = 5 * time.Minute

// IsBinary reports whether the file at path is a saved (binary) plan
// rather than plan JSON. An unreadable file is left to the JSON reader, which
// says what is wrong with it.
func IsBinary(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(zipMagic))
	n, _ := io.ReadFull(f, head)
	return bytes.Equal(head[:n], zipMagic)
}

// Show runs `terraform show -json` on the binary plan at path, in dir
// (the configuration directory, where `terraform init` installed the
// providers the command needs), and writes the JSON into a temporary file,
// whose path it returns with a function removing it. terraform is looked up
// on PATH.
func Show(path, dir string) (string, func(), error) {
	tf, err := exec.LookPath("terraform")
	if err != nil {
		return "", nil, fmt.Errorf("%s is a binary plan file and terraform is not on PATH to read it: run `terraform show -json %s > plan.json` where the plan was made, and pass plan.json", path, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	out, err := os.CreateTemp("", "glueaccess-plan-*.json")
	if err != nil {
		return "", nil, fmt.Errorf("converting the binary plan %s: %w", path, err)
	}
	cleanup := func() { os.Remove(out.Name()) }
	ctx, cancel := context.WithTimeout(context.Background(), showTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf, "show", "-json", "-no-color", abs)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &stderr
	runErr := cmd.Run()
	closeErr := out.Close()
	if err := errors.Join(runErr, closeErr); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("%s is a binary plan file and `terraform show -json` failed on it in %s (%w): %s; run `terraform show -json %s > plan.json` where the plan was made (after terraform init), and pass plan.json",
			path, dir, err, bytes.TrimSpace(stderr.Bytes()), path)
	}
	return out.Name(), cleanup, nil
}

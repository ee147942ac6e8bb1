// Command planfixture writes the `terraform show -json` plan of a
// configuration directory, planned against the offline hashicorp/aws
// stand-in exactly as acctest.Runner.Plan does in tests:
//
//	go run ./internal/acctest/cmd/planfixture [-var name=value]... [-provider address=package]... <config-dir> <out.json>
//
// The output is terraform's JSON, indented for readable diffs. It carries
// terraform's own "timestamp", so a regenerated fixture differs there.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/acctest"
)

// keyValues collects repeated name=value flags.
type keyValues map[string]string

func (kv keyValues) String() string { return fmt.Sprint(map[string]string(kv)) }

func (kv keyValues) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not name=value", s)
	}
	kv[name] = value
	return nil
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "planfixture: %v\n", err)
		os.Exit(2)
	}
}

func run() error {
	vars, providers := keyValues{}, keyValues{}
	flag.Var(vars, "var", "set a root module variable (name=value, repeatable)")
	flag.Var(providers, "provider", "also serve a provider built from a package of this module (address=package, repeatable)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: planfixture [-var name=value]... [-provider address=package]... <config-dir> <out.json>")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		return errors.New("need a configuration directory and an output file")
	}
	dir, out := flag.Arg(0), flag.Arg(1)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var opts []acctest.Option
	for address, pkg := range providers {
		opts = append(opts, acctest.WithProvider(address, pkg))
	}
	r, err := acctest.New(ctx, opts...)
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }() // removes the runner's temporary directory, best effort
	plan, err := r.RunPlan(ctx, dir, vars)
	if err != nil {
		return err
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, plan, "", "  "); err != nil {
		return fmt.Errorf("indenting the plan JSON of %s: %w", dir, err)
	}
	indented.WriteByte('\n')
	if err := os.WriteFile(out, indented.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}

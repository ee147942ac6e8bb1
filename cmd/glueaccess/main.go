// Command glueaccess decides, before apply, whether AWS Glue jobs planned by
// Terraform would be denied access to Amazon S3 and AWS KMS, and why.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/buildinfo"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/simulate"
)

// command runs one subcommand with its arguments and returns the exit code:
// 0 allowed/clean, 1 something would be denied, 2 bad input or tool error.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"aws-policy": {"print the least-privilege IAM policy for --aws live lookups", awslive.RunPolicy},
	"simulate":   {"decide IAM requests described in JSON files, offline", simulate.Run},
	"validate":   {"decide every Glue job of a terraform plan JSON", runValidate},
	"version":    {"print the version (also: glueaccess --version)", printVersion},
}

// printVersion prints the version of this binary (internal/buildinfo).
func printVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "glueaccess version: takes no arguments, got %q\n", args)
		return 2
	}
	fmt.Fprintln(stdout, "glueaccess", buildinfo.Version())
	return 0
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		return printVersion(args[1:], stdout, stderr)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "glueaccess: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: glueaccess <command> [arguments]")
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "exit codes: 0 allowed, 1 denied, 2 bad input or error")
}

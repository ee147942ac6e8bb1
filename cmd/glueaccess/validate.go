package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// failOnValues are the --fail-on choices.
var failOnValues = []string{"deny", "unknown", "never"}

// colorValues are the --color choices.
var colorValues = []string{"auto", "always", "never"}

// runValidate is the glueaccess validate command: it parses the command
// line into validator.Options and runs validator.Execute.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("glueaccess validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opts := validator.Options{Now: time.Now().UTC()}
	fs.StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(report.Names(), ", "))
	fs.Func("output", "also write the report in FORMAT to FILE (FORMAT=FILE; repeatable; formats as --format)", func(v string) error {
		f, file, ok := strings.Cut(v, "=")
		if _, known := report.Formatters[f]; !ok || file == "" || !known {
			return fmt.Errorf("want FORMAT=FILE with FORMAT one of %s, got %q", strings.Join(report.Names(), ", "), v)
		}
		opts.Outputs = append(opts.Outputs, validator.Output{Format: f, File: file})
		return nil
	})
	fs.StringVar(&opts.FailOn, "fail-on", "deny", "exit 1 when a job is denied (deny), denied or unknown (unknown), or never (never; bad input still exits 2)")
	fs.StringVar(&opts.Config, "config", "", "configuration file (default: the first "+validator.ConfigFileName+" in --config-dir and its parents up to the repository root)")
	fs.StringVar(&opts.BaseDir, "base-dir", "", "repository root that report locations are relative to (default: the git top level of --config-dir)")
	fs.StringVar(&opts.Baseline, "baseline", "", "baseline file: findings it lists do not count (default: the configuration file's baseline, if any)")
	fs.StringVar(&opts.WriteBaseline, "write-baseline", "", "write the findings nothing suppresses to this baseline file")
	awsFlags(fs, &opts.AWS, stderr)
	fs.StringVar(&opts.ConfigDir, "config-dir", ".", "directory of the Terraform configuration the plan was made from, evaluated for values the plan leaves unknown")
	fs.BoolVar(&opts.Verbose, "verbose", false, "text report: show each job's assumptions and notes")
	fs.StringVar(&opts.Color, "color", "auto", "text report colours: auto (on a terminal, unless NO_COLOR is set and not empty), always or never")
	fs.BoolVar(&opts.NoConfig, "no-config", false, "decide from the plan alone, without evaluating the Terraform configuration")
	maxBytes := fs.String("max-plan-bytes", strconv.FormatInt(planjson.DefaultMaxPlanBytes, 10), "refuse plan files larger than this many bytes")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: glueaccess validate [flags] plan.json")
		fmt.Fprintln(stderr, "")
		fmt.Fprintln(stderr, "plan.json is the output of: terraform show -json tfplan (a binary tfplan is read with terraform show -json, terraform on PATH)")
		fmt.Fprintln(stderr, "exit codes: 0 no job denied, 1 some job denied (or unknown with --fail-on unknown), 2 bad input or tool error")
		fmt.Fprintln(stderr, "")
		fs.PrintDefaults()
	}
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return validator.ExitAllowed
			}
			return validator.ExitError
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "glueaccess validate: want exactly one plan JSON file, got %d\n", len(files))
		fs.Usage()
		return validator.ExitError
	}
	n, err := strconv.ParseInt(*maxBytes, 10, 64)
	if err != nil || n <= 0 {
		fmt.Fprintf(stderr, "glueaccess validate: --max-plan-bytes %q: want a positive number of bytes\n", *maxBytes)
		return validator.ExitError
	}
	opts.MaxBytes = n
	setMemoryLimit(n)
	if _, ok := report.Formatters[opts.Format]; !ok {
		fmt.Fprintf(stderr, "glueaccess validate: unknown --format %q (want one of %s)\n", opts.Format, strings.Join(report.Names(), ", "))
		return validator.ExitError
	}
	if !slices.Contains(failOnValues, opts.FailOn) {
		fmt.Fprintf(stderr, "glueaccess validate: --fail-on %q: want %s\n", report.TextEscape(opts.FailOn), strings.Join(failOnValues, ", "))
		return validator.ExitError
	}
	if !slices.Contains(colorValues, opts.Color) {
		fmt.Fprintf(stderr, "glueaccess validate: --color %q: want %s\n", report.TextEscape(opts.Color), strings.Join(colorValues, ", "))
		return validator.ExitError
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "config-dir" {
			opts.ConfigDirGiven = true
		}
	})
	return validator.Execute(files[0], opts, stdout, stderr)
}

// awsFlags registers the live-lookup flags into o. Progress goes to stderr,
// drawn only when stderr is a terminal.
func awsFlags(fs *flag.FlagSet, o *awslive.Options, stderr io.Writer) {
	fs.BoolVar(&o.Enabled, "aws", false, "look up in AWS, read-only, the facts the plan and configuration do not hold (see docs/aws-lookups.md)")
	fs.StringVar(&o.Profile, "aws-profile", "", "shared config profile for --aws (default: the standard credential chain)")
	fs.StringVar(&o.Region, "aws-region", "", "default Region of --aws lookups (default: the plan's provider configuration)")
	fs.StringVar(&o.EndpointURL, "aws-endpoint-url", "", "send every --aws call to this endpoint (local stand-ins)")
	o.Progress = stderr
	o.IsTerminal = isTerminal(stderr)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// memoryPerPlanByte is the soft memory limit per byte of the largest plan
// accepted: validation peaks near 2.5 times the plan's size
// (docs/performance.md), so the limit leaves room for the configuration,
// the checks and the garbage collector's slack.
const memoryPerPlanByte = 4

// minMemoryLimit is the soft memory limit however small the plan limit.
const minMemoryLimit = 512 << 20

// setMemoryLimit sets the Go runtime's soft memory limit from the plan size
// limit (--max-plan-bytes), unless GOMEMLIMIT sets one: the garbage
// collector then works harder before the process outgrows what the plans it
// accepts need, rather than letting the heap double ("A Guide to the Go
// Garbage Collector", go.dev). It returns the limit in force.
func setMemoryLimit(maxPlanBytes int64) int64 {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return debug.SetMemoryLimit(-1)
	}
	limit := int64(minMemoryLimit)
	if maxPlanBytes > 0 && maxPlanBytes <= math.MaxInt64/memoryPerPlanByte {
		limit = max(limit, memoryPerPlanByte*maxPlanBytes)
	} else if maxPlanBytes > 0 {
		limit = math.MaxInt64
	}
	debug.SetMemoryLimit(limit)
	return limit
}

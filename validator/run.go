// Package validator is glueaccess validate: it reads the JSON of a terraform
// plan, turns every planned aws_glue_job and what surrounds it into access
// facts, decides each job with internal/access, and reports in the format asked.
package validator

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/buildinfo"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/validator/report"
)

// Exit codes of glueaccess validate.
const (
	ExitAllowed = 0 // no job denied (and, with --fail-on unknown, none unknown; with --fail-on never, whatever the verdicts)
	ExitDenied  = 1 // some job would be denied (--fail-on deny or unknown)
	ExitError   = 2 // bad input or tool error
)

// planAssumptions are access assumptions that hold for the whole plan (no
// Organizations data was visible; run-time arguments are invisible): the
// report states them once, in the plan's notes, rather than on every job.
var planAssumptions = map[string]bool{"no-org-data": true, "run-time-arguments": true}

// Options are what the validate command was asked to do.
type Options struct {
	Format string
	// Outputs are further reports written in the same run (--output FORMAT=FILE).
	Outputs []Output
	FailOn  string // "deny" (default), "unknown" or "never"
	Config  string // configuration file; "" means none
	// BaseDir is the repository root: report locations name files relative
	// to it (else to ConfigDir), and the configuration file is looked up
	// from ConfigDir up to it; "" means none.
	BaseDir string
	// Baseline is a baseline file whose findings do not count; "" means the
	// configuration file's, if any. WriteBaseline, when set, receives the
	// findings nothing suppresses (before Baseline applies).
	Baseline, WriteBaseline string
	MaxBytes                int64
	// Now is today's date for suppression expiry.
	Now time.Time
	// ConfigDir is the directory of the Terraform configuration the plan was
	// made from, evaluated for values the plan leaves unknown; "" means none.
	ConfigDir string
	// ConfigDirGiven says ConfigDir was asked for (--config-dir): Execute
	// then refuses a directory without configuration files rather than
	// deciding from the plan alone.
	ConfigDirGiven bool
	// NoConfig decides from the plan alone (--no-config); Execute keeps
	// ConfigDir only as the directory the sticky comment belongs to.
	NoConfig bool
	// Verbose shows each job's assumptions and notes in the text report.
	Verbose bool
	// Color is when the text report is coloured: "auto" (default), "always"
	// or "never".
	Color string
	// AWS configures live lookups of the facts the plan and configuration
	// do not hold (--aws); the zero value sends nothing. Region defaults to
	// the plan's provider configuration; tests set HTTPClient.
	AWS awslive.Options
}

// Output is one --output FORMAT=FILE.
type Output struct {
	Format string
	File   string
}

// Execute is glueaccess validate once its command line is parsed (see
// cmd/glueaccess): it settles the configuration directory and file, decides
// every job of the plan at path, writes the reports and returns the exit
// code. Messages about bad input go to stderr.
func Execute(path string, opts Options, stdout, stderr io.Writer) int {
	format, ok := report.Formatters[opts.Format]
	if !ok {
		fmt.Fprintf(stderr, "glueaccess validate: unknown --format %q (want one of %s)\n", opts.Format, strings.Join(report.Names(), ", "))
		return ExitError
	}
	// The sticky comment is the directory's whether or not its
	// configuration could be used.
	commentDir := filepath.ToSlash(opts.ConfigDir)
	if err := settleConfigDir(&opts); err != nil {
		fmt.Fprintf(stderr, "glueaccess validate: %s\n", report.TextEscape(err.Error()))
		return ExitError
	}
	start := opts.ConfigDir
	if start == "" {
		start = "."
	}
	if opts.BaseDir != "" {
		if st, err := os.Stat(opts.BaseDir); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "glueaccess validate: --base-dir %s: not a directory\n", report.TextEscape(opts.BaseDir))
			return ExitError
		}
	} else {
		opts.BaseDir = repositoryRoot(start)
	}
	explicitConfig := opts.Config != ""
	var err error
	opts.Config, err = findConfig(opts.Config, start, opts.BaseDir)
	if err != nil {
		fmt.Fprintf(stderr, "glueaccess validate: %s\n", report.TextEscape(err.Error()))
		return ExitError
	}
	if opts.Config != "" && !explicitConfig {
		fmt.Fprintf(stderr, "glueaccess validate: using the configuration file %s\n", report.TextEscape(opts.Config))
	}
	if planjson.IsBinary(path) {
		fmt.Fprintf(stderr, "glueaccess validate: %s is a binary plan; reading it with terraform show -json in %s\n", report.TextEscape(path), report.TextEscape(start))
	}
	rep, err := validate(path, opts)
	if err != nil {
		fmt.Fprintf(stderr, "glueaccess validate: %s\n", report.TextEscape(err.Error()))
		return ExitError
	}
	if opts.Format == "text" {
		for _, w := range rep.Plan.Warnings {
			fmt.Fprintf(stderr, "glueaccess validate: warning: %s\n", report.TextEscape(w))
		}
	}
	ropts := report.Options{ToolVersion: buildinfo.Version(), Verbose: opts.Verbose, CommentDir: commentDir}
	for _, o := range opts.Outputs {
		if err := writeOutput(o, rep, ropts); err != nil {
			fmt.Fprintf(stderr, "glueaccess validate: %s\n", report.TextEscape(err.Error()))
			return ExitError
		}
	}
	ropts.Color = opts.Format == "text" && colorOK(opts.Color, stdout)
	if err := format(stdout, rep, ropts); err != nil {
		fmt.Fprintf(stderr, "glueaccess validate: %s\n", report.TextEscape(err.Error()))
		return ExitError
	}
	return exitCode(rep, opts.FailOn)
}

// writeOutput writes one --output report into its file.
func writeOutput(o Output, rep *report.Report, ropts report.Options) error {
	f, err := os.Create(o.File)
	if err != nil {
		return fmt.Errorf("--output %s=%s: %w", o.Format, o.File, err)
	}
	werr := report.Formatters[o.Format](f, rep, ropts)
	if err := errors.Join(werr, f.Close()); err != nil {
		return fmt.Errorf("--output %s=%s: %w", o.Format, o.File, err)
	}
	return nil
}

// exitCode maps a report to the exit code contract.
func exitCode(r *report.Report, failOn string) int {
	switch {
	case len(r.Errors) > 0:
		return ExitError
	case failOn == "never":
		return ExitAllowed
	case r.Summary.Denied > 0:
		return ExitDenied
	case failOn == "unknown" && r.Summary.Unknown > 0:
		return ExitDenied
	}
	return ExitAllowed
}

// colorOK reports whether the text report on w is coloured: always, never,
// or (auto) when w is a terminal and NO_COLOR is unset or empty ("when
// present and not an empty string", https://no-color.org).
func colorOK(when string, w io.Writer) bool {
	switch {
	case when == "always":
		return true
	case when == "never", os.Getenv("NO_COLOR") != "":
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// validate reads the plan (and configuration file) and decides every job.
// A binary plan is turned into JSON with terraform show -json first. The
// error is for input that cannot be used at all (exit 2).
func validate(path string, opts Options) (*report.Report, error) {
	var decl *declarations
	if opts.Config != "" {
		d, err := loadConfig(opts.Config, opts.ConfigDir)
		if err != nil {
			return nil, err
		}
		decl = d
	}
	jsonPath := path
	var binaryNote string
	if planjson.IsBinary(path) {
		dir := opts.ConfigDir
		if dir == "" {
			dir = "."
		}
		p, cleanup, err := planjson.Show(path, dir)
		if err != nil {
			return nil, err
		}
		defer cleanup()
		jsonPath = p
		binaryNote = fmt.Sprintf("%s is a binary plan, read with terraform show -json in %s", path, dir)
	}
	plan, err := planjson.Load(jsonPath, planjson.LoadOptions{MaxBytes: opts.MaxBytes})
	if err != nil {
		if jsonPath != path {
			return nil, fmt.Errorf("%s (as shown by terraform show -json): %w", path, err)
		}
		return nil, err
	}
	ix := newPlanIndex(plan)
	live, err := newLive(ix, opts.AWS)
	if err != nil {
		return nil, err
	}
	rep := withConfig(ix, jsonPath, decl, opts, func(res resolver) *report.Report { return decide(ix, res, decl, opts.Now, live) })
	rep.Plan.File = path
	rep.Plan.Config = opts.Config
	if binaryNote != "" {
		rep.Plan.Notes = append(rep.Plan.Notes, binaryNote)
	}
	if err := adopt(rep, decl, opts); err != nil {
		return nil, err
	}
	return rep, nil
}

// adopt applies what lets a team adopt glueaccess on a repository that
// already has findings: locations relative to the repository root, inline
// glueaccess:ignore comments, and the baseline (written first when asked).
// It recomputes the summary.
func adopt(rep *report.Report, decl *declarations, opts Options) error {
	rebase(rep, opts.ConfigDir, opts.BaseDir)
	if rep.Plan.ConfigDir != "" {
		inline, err := inlineSuppressions(rep, func(file string) string { return filepath.Join(opts.ConfigDir, filepath.FromSlash(file)) })
		if err != nil {
			return err
		}
		for i := range rep.Jobs {
			j := &rep.Jobs[i]
			sups := inline[j.Address]
			applySuppressions(j, sups, opts.Now)
			for _, s := range sups {
				if !slices.ContainsFunc(j.Findings, func(f report.Finding) bool { return f.ID == string(s.ID) }) {
					j.Notes = append(j.Notes, fmt.Sprintf("%s %s at %s matches no finding of this job; remove it", ignoreDirective, s.ID, s.From))
				}
			}
		}
	}
	rep.Summarize()
	baseline := opts.Baseline
	if baseline == "" && decl != nil {
		baseline = decl.Baseline
	}
	// The baseline is read before a new one is written, so that writing one
	// over it does not change this run's result.
	var set map[string]bool
	if baseline != "" {
		var err error
		if set, err = readBaseline(baseline); err != nil {
			return err
		}
	}
	if opts.WriteBaseline != "" {
		if err := writeBaseline(opts.WriteBaseline, rep); err != nil {
			return err
		}
	}
	if set != nil {
		applyBaseline(rep, set, filepath.ToSlash(baseline))
		rep.Summarize()
	}
	return nil
}

// decide builds the facts of every job, checks them and assembles the
// report, filling each job's missing facts from live (nil: none).
func decide(ix *planIndex, res resolver, decl *declarations, now time.Time, live *liveFacts) *report.Report {
	if decl == nil {
		decl = &declarations{}
	}
	fb := newFactBuilder(ix, res, decl)
	rep := &report.Report{
		Version: report.Version,
		Plan:    report.PlanInfo{FormatVersion: ix.FormatVersion, TerraformVersion: ix.TerraformVersion, Notes: []string{}},
		Jobs:    make([]report.Job, 0, len(ix.Deferred)+len(fb.jobs)),
		Errors:  []report.Error{},
	}
	results, actionWarnings := checkAll(fb, live)
	rep.Plan.ActionWarnings = actionWarnings
	present := map[string]bool{}
	for i, addr := range fb.Jobs() {
		present[addr] = true
		if err := results[i].err; err != nil {
			rep.Errors = append(rep.Errors, report.Error{Resource: addr, Message: err.Error()})
			continue
		}
		job := results[i].job
		var kept []report.Assumption
		for _, a := range job.Assumptions {
			if planAssumptions[a.Code] {
				if !slices.Contains(rep.Plan.Notes, a.Text) {
					rep.Plan.Notes = append(rep.Plan.Notes, a.Text)
				}
				continue
			}
			kept = append(kept, a)
		}
		job.Assumptions = kept
		if job.Assumptions == nil {
			job.Assumptions = []report.Assumption{}
		}
		applySuppressions(&job, decl.Suppressions, now)
		// Added after the suppressions: a GA001 suppression accepts a
		// known finding, not the plan's missing values.
		if f := ix.deferredFinding(); f != nil {
			job.Findings = append(job.Findings, *f)
		}
		rep.Jobs = append(rep.Jobs, job)
	}
	for _, d := range ix.Deferred {
		// Not suppressible: its finding is the plan's missing values.
		present[d.Address] = true
		rep.Jobs = append(rep.Jobs, d.reportJob())
	}
	for _, addr := range slices.Sorted(maps.Keys(decl.Jobs)) {
		if !present[addr] {
			rep.Errors = append(rep.Errors, report.Error{Resource: addr, Message: fmt.Sprintf("%s declares access paths for %s, which is not an aws_glue_job of this plan", decl.File, addr)})
		}
	}
	for _, s := range decl.Suppressions {
		if !present[s.Job] {
			rep.Errors = append(rep.Errors, report.Error{Resource: s.Job, Message: fmt.Sprintf("%s suppresses %s on %s, which is not an aws_glue_job of this plan", s.From, s.ID, s.Job)})
		}
	}
	ix.describeSymbols(rep)
	rep.Summarize()
	return rep
}

type checked struct {
	job report.Job
	err error
	// own are the action problems of the job's own policies (not the shared
	// ones); the plan-wide warnings leave out the policies they name.
	own []policyProblem
}

// work is one job for a check worker: its index in fb.Jobs and, when the
// fact builder is not safe for concurrent use, its facts, built in order by
// the goroutine that hands out the jobs (else the worker builds them).
type work struct {
	i     int
	facts *access.Facts
}

// checkAll checks the jobs' facts on as many goroutines as there are
// processors; a check reads its facts (shared parts included) and never
// writes them. The facts are built on this goroutine, in the jobs' order,
// or, with more than two workers and a builder that allows it
// (factBuilder.concurrent, no configuration evaluator), by each worker for
// its own job. Facts are dropped once converted, so
// memory does not grow with the number of jobs. Results keep the jobs' order.
// With live lookups each worker first fills its job's missing facts (into a
// copy), and more workers run, since lookups wait on the network.
//
// The policies the facts hold are linted for actions that do not exist by the
// workers too (linting parses each policy, which is as costly as a check);
// problems in a job's policies become its action warnings, the others
// (shared, or of no job) are returned for the plan.
func checkAll(fb *factBuilder, live *liveFacts) ([]checked, []string) {
	n := len(fb.jobs)
	out := make([]checked, n)
	next := make(chan work)
	// One run for every job: each policy parsed once, the organization
	// indexed once (the jobs' facts share fb.b.org). The lint of the shared
	// documents parses the SCPs and RCPs into it before the checks start.
	run := access.NewRun()
	lint := newPolicyLinter(run)
	shared := lint.shared(fb.b.network, fb.b.org)
	workers := min(live.workers(runtime.GOMAXPROCS(0)), n)
	// A job's facts cost about a third of its check (CPU profile of the
	// estate benchmarks), so this goroutine builds them faster than up to
	// two workers check them; more workers would wait for it. With two,
	// building on the workers saved no time and raised the peak heap (the
	// collector's mark workers then find no idle core): see
	// BenchmarkEstateVsDecode.
	serial := !fb.concurrent() || workers <= 2
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w := range next {
				if !serial {
					w.facts = fb.Facts(w.i)
				}
				var notes []string
				w.facts, notes = live.fill(w.facts)
				compiled := compiledPolicies{}
				jr, err := checkAccounts(fb.b.ix, w.facts, access.Options{Compiled: compiled.record, Run: run})
				if err != nil {
					out[w.i].err = err
					continue
				}
				out[w.i].job = convertJob(w.facts, jr)
				out[w.i].job.Notes = append(out[w.i].job.Notes, notes...)
				if fb.config != nil {
					fb.config.locate(&out[w.i].job, w.facts)
				}
				own := lint.job(w.facts, compiled)
				out[w.i].own = own
				out[w.i].job.ActionWarnings = problemNotes(own)
				addLintHints(&out[w.i].job, append(slices.Clip(own), shared...))
			}
		}()
	}
	for i := range n {
		w := work{i: i}
		if serial {
			w.facts = fb.Facts(i)
		}
		next <- w
	}
	close(next)
	wg.Wait()
	used := map[string]bool{}
	for i := range out {
		for _, p := range out[i].own {
			used[p.Policy] = true
		}
	}
	planWide := append(shared, lint.unused(fb.b.bucketPolicies(), fb.b.keys, used)...)
	return out, problemNotes(planWide)
}

// check runs access.Check, turning a panic (a bug in the model, never bad
// input) into a tool error so one job cannot hide the others.
func check(f *access.Facts, opts access.Options) (jr *access.JobReport, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while checking: %v", p)
		}
	}()
	return access.Check(f, opts), nil
}

// applySuppressions marks findings suppressed by the configuration; an
// expired suppression no longer suppresses and says so.
func applySuppressions(job *report.Job, sups []suppression, now time.Time) {
	today := now.Truncate(24 * time.Hour)
	for _, s := range sups {
		if s.Job != job.Address {
			continue
		}
		expires := ""
		if !s.Expires.IsZero() {
			expires = s.Expires.Format(time.DateOnly)
			if today.After(s.Expires) {
				job.Notes = append(job.Notes, fmt.Sprintf("suppression of %s at %s expired on %s and no longer applies", s.ID, s.From, expires))
				continue
			}
		}
		for i := range job.Findings {
			if job.Findings[i].ID == string(s.ID) {
				job.Findings[i].Suppressed = &report.Suppression{Reason: s.Reason, Expires: expires, Source: s.From.String()}
			}
		}
	}
}

// convertJob turns the access report into the report contract.
func convertJob(f *access.Facts, jr *access.JobReport) report.Job {
	// Slices are made at their final size: the report of every job stays
	// until the end, and grown slices would keep their spare capacity.
	j := report.Job{Address: f.Job.Address, Name: f.Job.Name.V, Findings: make([]report.Finding, 0, len(jr.Findings)), Notes: jr.Notes}
	if len(jr.ActionGaps) > 0 {
		j.ActionGaps = make([]report.ActionGap, 0, len(jr.ActionGaps))
	}
	for _, g := range jr.ActionGaps {
		j.ActionGaps = append(j.ActionGaps, report.ActionGap(g))
	}
	if f.Role != nil {
		switch {
		case f.Role.ARN.Known:
			j.Role = f.Role.ARN.V
		case f.Role.Address != "":
			j.Role = f.Role.Address
		}
	}
	if len(jr.Assumptions) > 0 {
		j.Assumptions = make([]report.Assumption, 0, len(jr.Assumptions))
	}
	for _, a := range jr.Assumptions {
		j.Assumptions = append(j.Assumptions, report.Assumption{Code: a.Code, Text: a.Text})
	}
	for _, fd := range jr.Findings {
		rf := report.Finding{
			ID:      string(fd.ID),
			Title:   fd.Title,
			Verdict: string(fd.Verdict),
			Reason:  fd.Reason,
			Because: fd.Because,
			Needs:   make([]report.Need, 0, len(fd.Needs)),
			Missing: make([]report.Missing, 0, len(fd.Missing)),
		}
		for _, n := range fd.Needs {
			rf.Needs = append(rf.Needs, report.Need{Action: n.Action, Resource: n.Resource, URL: n.URL, Intent: n.Intent, Why: n.Why,
				Source: string(n.Source), Location: scriptLine(f, n)})
		}
		if len(fd.Needs) > 0 {
			rf.Action, rf.Resource, rf.URL = fd.Needs[0].Action, fd.Needs[0].Resource, fd.Needs[0].URL
		}
		if d := fd.DecidedBy; d != nil {
			rf.DecidedBy = &report.Statement{Layer: d.Layer, Policy: d.Policy, Index: d.Index, Sid: d.Sid, Level: d.Level, Node: d.Node}
		}
		for _, m := range fd.Missing {
			rf.Missing = append(rf.Missing, report.Missing{Fact: m.Fact, How: m.How})
		}
		if x := fd.Fix; x != nil {
			rf.Fix = &report.Fix{Target: x.Target, Op: x.Op, Resource: x.Resource, Text: x.Text, Statements: x.Statements, HCL: x.HCL}
			if x.Setting != nil {
				rf.Fix.Setting = &report.Setting{Name: x.Setting.Name, Value: x.Setting.Value}
			}
		}
		j.Findings = append(j.Findings, rf)
	}
	return j
}

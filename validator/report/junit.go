package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML shapes, as CI systems read them (GitLab's unit test reports,
// Jenkins, the GitHub test-reporter actions): one testsuite, one testcase per
// Glue job, a failure per job that is not allowed, an error per tool error.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes the report as JUnit XML. A denied job is a failure of type
// "denied"; an unknown job is a failure of type "unknown" too, since an
// undecided job is never a pass (whether it fails the build is --fail-on's
// business, not the test report's). Suppressed findings are listed in the
// job's system-out. Each tool error is a testcase with an error.
func JUnit(w io.Writer, r *Report, _ Options) error {
	suite := junitSuite{Name: "glueaccess"}
	if r.Plan.ConfigDir != "" {
		suite.Name = "glueaccess " + r.Plan.ConfigDir
	}
	for _, j := range r.Jobs {
		c := junitCase{Name: j.Address, Classname: "glueaccess.job"}
		if j.Location != nil {
			c.File, c.Line = j.Location.FromRoot(), j.Location.Line
		}
		var text, out strings.Builder
		var ids []string
		for _, f := range j.Findings {
			if f.Suppressed != nil {
				fmt.Fprintf(&out, "suppressed %s %s (%s): %s\n", f.Verdict, f.ID, f.Suppressed.Source, f.Suppressed.Reason)
				continue
			}
			ids = append(ids, f.ID)
			fmt.Fprintf(&text, "%s %s %s: %s\n", f.Verdict, f.ID, f.Title, f.Because)
			if l := findingLocation(j, f); l != nil {
				fmt.Fprintf(&text, "  at %s\n", l)
			}
			if f.Fix != nil {
				fmt.Fprintf(&text, "  fix: %s\n", f.Fix.Text)
			}
			for _, m := range f.Missing {
				fmt.Fprintf(&text, "  missing: %s; %s\n", m.Fact, m.How)
			}
		}
		if j.Verdict != Allowed {
			c.Failure = &junitProblem{Type: j.Verdict, Message: fmt.Sprintf("%s: %s (%s)", j.Address, j.Verdict, strings.Join(ids, ", ")), Text: text.String()}
			suite.Failures++
		}
		c.SystemOut = out.String()
		suite.Cases = append(suite.Cases, c)
	}
	for _, e := range r.Errors {
		name := e.Resource
		if name == "" {
			name = r.Plan.File
		}
		suite.Cases = append(suite.Cases, junitCase{Name: name, Classname: "glueaccess.error", Error: &junitProblem{Type: "error", Message: e.Message}})
		suite.Errors++
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "glueaccess", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("writing junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("writing junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("writing junit report: %w", err)
	}
	return nil
}

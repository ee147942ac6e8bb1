package validator

import (
	"encoding/json"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson/plantest"
)

// benchJobs is the size of the generated plan: 3,000 jobs of five resources
// each (role, inline policy, bucket, bucket policy, job), about 15k resources.
const benchJobs = 3000

// largePlan builds a plan of n jobs from the real plan in testdata/bench
// (plantest.Large).
func largePlan(tb testing.TB, n int) []byte {
	return plantest.Large(tb, "testdata/bench/plan.json", n)
}

var (
	largeOnce sync.Once
	largeData []byte
)

func largePlanData(b *testing.B) []byte {
	largeOnce.Do(func() { largeData = largePlan(b, benchJobs) })
	return largeData
}

// peakHeap samples the live heap while f runs and returns its maximum, the
// figure compared with the file size.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak {
				peak = v
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

func BenchmarkValidateLargePlan(b *testing.B) {
	data := largePlanData(b)
	b.SetBytes(int64(len(data)))
	validate := func() {
		plan, err := planjson.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if rep := decide(newPlanIndex(plan), nil, nil, time.Time{}, nil); len(rep.Jobs) != benchJobs {
			b.Fatalf("decided %d jobs, want %d", len(rep.Jobs), benchJobs)
		}
	}
	for b.Loop() {
		validate()
	}
	// Memory, outside the timed loop: the peak heap (garbage included) of one
	// validation, and what stays live once the plan is decoded and indexed.
	reportPeak(b, peakHeap(validate), len(data))
	b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
	b.ReportMetric(float64(retained(b, data))/(1<<20), "retained-MB")
}

// BenchmarkDecodeLargePlan times decoding and indexing alone, the part of a
// validation the loader owns, to set against BenchmarkDecodeAny; the rest is
// fact building and the checks.
func BenchmarkDecodeLargePlan(b *testing.B) {
	data := largePlanData(b)
	b.SetBytes(int64(len(data)))
	load := func() {
		plan, err := planjson.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if ix := newPlanIndex(plan); len(ix.Resources) < 5*benchJobs {
			b.Fatalf("indexed %d resources, want at least %d", len(ix.Resources), 5*benchJobs)
		}
	}
	for b.Loop() {
		load()
	}
	reportPeak(b, peakHeap(load), len(data))
}

// reportPeak reports a peak heap in MB and as a multiple of the file size,
// the figure the memory target is stated in.
func reportPeak(b *testing.B, peak uint64, size int) {
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak)/float64(size), "peak/filesize")
}

// BenchmarkValidateVsDecode times a validation and an encoding/json decode
// into any of the same bytes alternately and reports the ratio of their
// times. On a machine shared with other work, both halves see the same load,
// so the ratio holds still where the absolute times of
// BenchmarkValidateLargePlan and BenchmarkDecodeAny, run minutes apart, do not.
func BenchmarkValidateVsDecode(b *testing.B) {
	data := largePlanData(b)
	var validating, decoding time.Duration
	for b.Loop() {
		start := time.Now()
		plan, err := planjson.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		if rep := decide(newPlanIndex(plan), nil, nil, time.Time{}, nil); len(rep.Jobs) != benchJobs {
			b.Fatalf("decided %d jobs, want %d", len(rep.Jobs), benchJobs)
		}
		mid := time.Now()
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
		validating += mid.Sub(start)
		decoding += time.Since(mid)
	}
	b.ReportMetric(float64(validating)/float64(decoding), "validate/decode")
}

// retained returns the live heap held by a decoded, indexed plan with its
// shared facts built: what validation keeps while it checks the jobs.
func retained(b *testing.B, data []byte) uint64 {
	before := liveHeap()
	plan, err := planjson.Decode(data)
	if err != nil {
		b.Fatal(err)
	}
	fb := newFactBuilder(newPlanIndex(plan), nil, nil)
	after := liveHeap()
	runtime.KeepAlive(fb)
	if after < before {
		return 0
	}
	return after - before
}

func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func BenchmarkDecodeAny(b *testing.B) {
	data := largePlanData(b)
	b.SetBytes(int64(len(data)))
	var v any
	decode := func() {
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		decode()
	}
	reportPeak(b, peakHeap(decode), len(data))
}

// TestLargePlanGeneratorDecidesEveryJob keeps the benchmark honest: the
// generated plan decodes, and every copied job is linked to its own role and
// bucket and allowed (checked concurrently, so -race covers checkAll).
func TestLargePlanGeneratorDecidesEveryJob(t *testing.T) {
	const n = 25
	plan, err := planjson.Decode(largePlan(t, n))
	if err != nil {
		t.Fatal(err)
	}
	rep := decide(newPlanIndex(plan), nil, nil, time.Time{}, nil)
	if len(rep.Jobs) != n {
		t.Fatalf("decided %d jobs, want %d", len(rep.Jobs), n)
	}
	for _, j := range rep.Jobs {
		num := strings.TrimPrefix(j.Address, "aws_glue_job.job_j")
		if want := "arn:aws:iam::111122223333:role/glue-j" + num; j.Role != want {
			t.Errorf("%s: role %q, want %q", j.Address, j.Role, want)
		}
		if j.Verdict != "allowed" {
			t.Errorf("%s: verdict %s, findings %+v", j.Address, j.Verdict, j.Findings)
		}
	}
}

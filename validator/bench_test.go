package validator

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
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
// figure compared with the file size. With GLUEACCESS_PEAK_PROFILE set to a
// file name, it writes there the heap profile taken at the last new maximum
// more than 5% above the one last profiled (go tool pprof -sample_index
// inuse_space).
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak, profiled uint64
	var prof *bytes.Buffer
	out := os.Getenv("GLUEACCESS_PEAK_PROFILE")
	if out != "" {
		prof = new(bytes.Buffer)
	}
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
				if prof != nil && v > profiled+profiled/20 {
					// The heap profile is that of the last completed
					// collection: what was live when the heap goal that
					// this peak reaches for was set.
					profiled = v
					prof.Reset()
					if err := pprof.Lookup("heap").WriteTo(prof, 0); err != nil {
						panic(err)
					}
				}
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
	if prof != nil {
		if err := os.WriteFile(out, prof.Bytes(), 0o644); err != nil {
			panic(err)
		}
	}
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

// peakRuns is how many runs medianPeak measures. One run's peak depends on
// where the collections fall and on how long marking takes on a busy
// machine: the same build measured 2.25 and 2.94 times the file in
// consecutive single runs of the org estate.
const peakRuns = 3

// medianPeak is the median of peakRuns peaks of f (peakHeap), each run
// starting from the same collected heap.
func medianPeak(f func()) uint64 {
	peaks := make([]uint64, peakRuns)
	for i := range peaks {
		collect()
		peaks[i] = peakHeap(f)
	}
	slices.Sort(peaks)
	return peaks[peakRuns/2]
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
	return heapObjects()
}

// heapObjects is the heap's live objects and the garbage not yet swept.
func heapObjects() uint64 {
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

// estatePlan is a generated estate plan, kept on disk between validations:
// a benchmark reads it before each timed validation and drops it after, so
// that, as in a glueaccess validate process, the plan under test is the only
// large thing live. Held in memory, the plans of the other kind or scale
// would raise the collector's heap goal (twice what the last collection
// found live) by different amounts for different plans: the 1x validation of
// BenchmarkEstateScaling ran with the 4x plan live and so collected far less
// often than alone, which inflated cpu-4x/1x, and the flat plan's
// peak/filesize counted the heap headroom the org plan gave it.
type estatePlan struct {
	e    estate
	path string
	size int
	hcl  string
}

// estateData generates the plan and .glueaccess.hcl text of the estate of
// kind "org" or "flat" at scale, writes the plan under the benchmark's
// temporary directory and collects what generating it left.
func estateData(b *testing.B, kind string, scale int) *estatePlan {
	e := flatEstate(scale)
	if kind == "org" {
		e = orgEstate(scale)
	}
	data, hcl := orgPlan(b, e)
	path := filepath.Join(b.TempDir(), kind+"-"+strconv.Itoa(scale)+".json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	p := &estatePlan{e: e, path: path, size: len(data), hcl: hcl}
	collect()
	return p
}

// load reads the plan, as glueaccess validate does, and collects the
// garbage of what ran before, so that each measured validation starts from
// the same heap: the plan's bytes and what the process keeps anyway.
func (p *estatePlan) load(b *testing.B) []byte {
	data, err := os.ReadFile(p.path)
	if err != nil {
		b.Fatal(err)
	}
	collect()
	return data
}

// collect collects all garbage, the previous plan included. One collection
// is not enough: the engine's pooled evaluators (a sync.Pool, whose victim
// cache survives one collection) still hold strings of the plan last
// validated (the caller's role ARN, derived context entries), and those
// strings share the plan's bytes, so the whole previous plan stays live
// until the second collection.
func collect() {
	runtime.GC()
	runtime.GC()
}

// warmUp validates a small estate once, so that what a process does once
// (the action catalog and managed policies read on first use) is not timed
// as part of the first validation.
func warmUp(b *testing.B) {
	data, hcl := orgPlan(b, estate{ous: 3, accounts: 2, jobs: 2})
	decideEstate(b, data, hcl)
}

// validate decides every job of the estate plan, read as data, as
// glueaccess validate does.
func (p *estatePlan) validate(b *testing.B, data []byte) {
	if n := decideEstate(b, data, p.hcl); n != p.e.jobs {
		b.Fatalf("decided %d jobs, want %d", n, p.e.jobs)
	}
}

// timed validates the plan once and returns the wall and CPU time it took,
// reading the plan before and leaving nothing of it live after.
func (p *estatePlan) timed(b *testing.B) (wall, cpu time.Duration) {
	data := p.load(b)
	start, cpuStart := time.Now(), cpuTime()
	p.validate(b, data)
	return time.Since(start), cpuTime() - cpuStart
}

// ratio is a/b, 0 when b was not measured.
func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// BenchmarkEstateVsDecode validates the estate plans whose jobs are decided
// (org: one organization of 300 OUs, 500 accounts, 1,024 SCPs and RCPs and
// 3,000 jobs; flat: 3,000 jobs over 100 accounts, no organization) and
// decodes the same bytes into any with encoding/json, alternately, and
// reports both times and their ratio, the figure the target (at most 1.0)
// is stated in, in wall time and in CPU time (all threads: validation checks
// jobs on every core, the decode runs on one); then the peak heap of one
// validation and of one decode.
func BenchmarkEstateVsDecode(b *testing.B) {
	for _, kind := range []string{"org", "flat"} {
		b.Run(kind, func(b *testing.B) {
			warmUp(b)
			p := estateData(b, kind, 1)
			var validating, decoding, cpuValidating, cpuDecoding time.Duration
			for b.Loop() {
				wall, cpu := p.timed(b)
				validating += wall
				cpuValidating += cpu
				wall, cpu = p.decodeTimed(b)
				decoding += wall
				cpuDecoding += cpu
			}
			n := float64(b.N)
			b.ReportMetric(float64(validating)/float64(decoding), "validate/decode")
			b.ReportMetric(ratio(cpuValidating, cpuDecoding), "cpu-validate/decode")
			b.ReportMetric(validating.Seconds()*1e3/n, "validate-ms")
			b.ReportMetric(decoding.Seconds()*1e3/n, "decode-ms")
			b.ReportMetric(float64(p.size)/(1<<20), "file-MB")
			data := p.load(b)
			reportPeak(b, medianPeak(func() { p.validate(b, data) }), p.size)
			decodePeak := medianPeak(func() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(decodePeak)/float64(p.size), "decode-peak/filesize")
		})
	}
}

// decodeTimed decodes the plan into any with encoding/json once, from the
// same starting heap as timed, and returns the wall and CPU time it took.
func (p *estatePlan) decodeTimed(b *testing.B) (wall, cpu time.Duration) {
	data := p.load(b)
	start, cpuStart := time.Now(), cpuTime()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), cpuTime() - cpuStart
}

// BenchmarkEstateScaling validates each estate at scale 1 and at scale 4
// (four times the OUs, accounts, policies and jobs) alternately and reports
// the ratio of their times, the figure the linear-cost target (at most 4.4)
// is stated in, in wall time and in CPU time (which the machine's other work
// does not inflate), with the ratio of their file sizes.
func BenchmarkEstateScaling(b *testing.B) {
	for _, kind := range []string{"org", "flat"} {
		b.Run(kind, func(b *testing.B) {
			warmUp(b)
			small, large := estateData(b, kind, 1), estateData(b, kind, 4)
			var t1, t4, cpu1, cpu4 time.Duration
			for b.Loop() {
				wall, cpu := small.timed(b)
				t1 += wall
				cpu1 += cpu
				wall, cpu = large.timed(b)
				t4 += wall
				cpu4 += cpu
			}
			b.ReportMetric(float64(t4)/float64(t1), "4x/1x")
			b.ReportMetric(ratio(cpu4, cpu1), "cpu-4x/1x")
			b.ReportMetric(float64(large.size)/float64(small.size), "size-4x/1x")
			b.ReportMetric(t1.Seconds()*1e3/float64(b.N), "1x-ms")
			b.ReportMetric(t4.Seconds()*1e3/float64(b.N), "4x-ms")
		})
	}
}

// BenchmarkEstateValidate validates one estate plan per iteration, the same
// plan every time, to profile one kind and scale at a time
// (-test.memprofile; GLUEACCESS_PEAK_PROFILE for the heap
// at the peak, GLUEACCESS_CPU_PROFILE for a CPU profile of the validations
// alone, without generating the plan): comparing the 1x and 4x profiles of the same number of
// validations shows which functions grow faster than the plan.
func BenchmarkEstateValidate(b *testing.B) {
	for _, kind := range []string{"org", "flat"} {
		for _, scale := range []int{1, 4} {
			b.Run(kind+"/"+strconv.Itoa(scale)+"x", func(b *testing.B) {
				warmUp(b)
				p := estateData(b, kind, scale)
				var cpu time.Duration
				stop := cpuProfile(b)
				for b.Loop() {
					_, c := p.timed(b)
					cpu += c
				}
				stop()
				b.ReportMetric(cpu.Seconds()*1e3/float64(b.N), "cpu-ms")
				// What the process keeps without the plan (action catalog,
				// managed policies, ...): it is live through every
				// validation, so the heap goal doubles it as well.
				collect()
				b.ReportMetric(float64(liveHeap())/(1<<20), "process-MB")
				if out := os.Getenv("GLUEACCESS_BASE_PROFILE"); out != "" {
					var prof bytes.Buffer
					if err := pprof.Lookup("heap").WriteTo(&prof, 0); err != nil {
						b.Fatal(err)
					}
					if err := os.WriteFile(out, prof.Bytes(), 0o644); err != nil {
						b.Fatal(err)
					}
				}
				data := p.load(b)
				reportPeak(b, medianPeak(func() { p.validate(b, data) }), p.size)
			})
		}
	}
}

// cpuProfile starts a CPU profile into the file GLUEACCESS_CPU_PROFILE names,
// if set, and returns what stops it.
func cpuProfile(b *testing.B) (stop func()) {
	out := os.Getenv("GLUEACCESS_CPU_PROFILE")
	if out == "" {
		return func() {}
	}
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCollectDropsTheLastPlan keeps the estate benchmarks' baseline honest:
// once a plan has been validated and dropped, collect leaves nothing of it
// live, so the next measured validation does not get its heap goal raised
// by the last one's bytes.
func TestCollectDropsTheLastPlan(t *testing.T) {
	// What a process loads on first use (the action catalog) stays.
	small, _ := orgPlan(t, estate{accounts: 1, jobs: 2})
	decideEstate(t, small, "")
	collect()
	before := liveHeap()
	size := generateValidateAndDrop(t)
	collect()
	if after := heapObjects(); after > before+size/4 {
		t.Errorf("live heap %d bytes after the validation of a %d-byte plan, %d before: the plan is still held", after, size, before)
	}
}

// generateValidateAndDrop generates a plan, decides it and returns its
// size, keeping nothing of it: only what the validation keeps can hold it.
func generateValidateAndDrop(t *testing.T) uint64 {
	data, _ := orgPlan(t, estate{accounts: 7, jobs: 400})
	if n := decideEstate(t, data, ""); n != 400 {
		t.Fatalf("decided %d jobs, want 400", n)
	}
	return uint64(len(data))
}

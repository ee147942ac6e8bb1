package validator

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/livefacts"
)

// liveFacts fills each job's missing facts from live lookups. A nil
// *liveFacts fills nothing.
type liveFacts struct {
	ctx    context.Context
	filler *livefacts.Filler
	// concurrency is how many jobs are filled (and checked) at once: lookups
	// wait on the network, not the processor.
	concurrency int
}

// newLive returns the live lookups opts ask for, nil without --aws: then
// no AWS configuration is read and nothing is sent. The default Region is
// the plan's.
func newLive(ix *planIndex, opts awslive.Options) (*liveFacts, error) {
	if !opts.Enabled {
		return nil, nil
	}
	if opts.Region == "" {
		opts.Region = planRegion(ix)
	}
	ctx := context.Background()
	l, err := awslive.New(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("--aws: %w", err)
	}
	c := opts.Concurrency
	if c == 0 {
		c = awslive.DefaultConcurrency
	}
	return &liveFacts{ctx: ctx, filler: livefacts.New(l), concurrency: c}, nil
}

// workers returns how many jobs to check at once: cpu, or more while lookups
// are pending on the network.
func (lv *liveFacts) workers(cpu int) int {
	if lv == nil {
		return cpu
	}
	return max(cpu, lv.concurrency)
}

// fill returns f with its missing facts looked up, and the reasons of the
// lookups that failed, as notes for the job; f itself is not changed.
func (lv *liveFacts) fill(f *access.Facts) (*access.Facts, []string) {
	if lv == nil {
		return f, nil
	}
	return lv.filler.Fill(lv.ctx, f)
}

// planRegion is the Region of the plan's default aws provider
// configuration, else of the first configuration (by key) that names one;
// "" leaves it to the SDK (AWS_REGION, profile).
func planRegion(ix *planIndex) string {
	if r, ok := ix.regionOf("aws"); ok {
		return r
	}
	for _, key := range slices.Sorted(maps.Keys(ix.ProviderConfigs)) {
		if r, ok := ix.regionOf(key); ok {
			return r
		}
	}
	return ""
}

package access

import (
	"fmt"
	"strings"
)

// Crawler describes an aws_glue_crawler checked like a job: its role
// (Facts.Role) against its targets. Catalog targets come as
// Facts.CatalogTables.
type Crawler struct {
	Targets []CrawlerTarget `json:"targets,omitempty"`
	// LakeFormationCredentials is
	// lake_formation_configuration.use_lake_formation_credentials.
	LakeFormationCredentials Value[bool] `json:"lake_formation_credentials"`
}

// CrawlerTarget is one S3 path a crawler reads (s3_target, delta_target,
// iceberg_target, hudi_target).
type CrawlerTarget struct {
	// Kind is the target block: "s3_target", "delta_target", ...
	Kind string `json:"kind"`
	// Path is the include path as configured: s3://bucket/prefix or
	// bucket/prefix.
	Path string `json:"path"`
	// Mode is ModeRead, or ModeReadWrite for a Delta target writing
	// manifests.
	Mode       AccessMode `json:"mode"`
	Exclusions []string   `json:"exclusions,omitempty"`
	From       Provenance `json:"from"`
	// Unknown, when set, says the path is not known until apply.
	Unknown string `json:"unknown,omitempty"`
}

// crawlerLocations are the S3 locations of a crawler's targets
// (docs/validate.md): it lists and reads every include path ("Crawler
// prerequisites": the role needs s3:GetObject on the data; listing is
// implied by crawling prefixes), and writes to Delta tables whose manifests it writes ("When
// crawling a Delta Lake data store, you must have Read/Write permissions").
// Exclusions skip objects, not the listing, so they change nothing unless
// they exclude the whole path.
func crawlerLocations(f *Facts) (locs []location, unres []unresolved, notes []string) {
	if lf, ok := f.Crawler.LakeFormationCredentials.Get(); !ok || lf {
		// With Lake Formation credentials the crawler reads through the
		// location's registration role, after Lake Formation's own checks
		// ("Configuring a crawler to use Lake Formation credentials"); that
		// path is not modelled for crawlers, so nothing it reads is decided.
		for _, t := range f.Crawler.Targets {
			unres = append(unres, unresolved{What: t.Kind + " " + t.Path + " read with Lake Formation credentials",
				Why: "lake_formation_configuration of " + f.Job.Address + " (" + f.Crawler.LakeFormationCredentials.From.String() + ")",
				How: "check the Lake Formation grants and the registration role of the location by hand, or crawl with the role's own credentials"})
		}
		return nil, unres, nil
	}
	for _, t := range f.Crawler.Targets {
		why := fmt.Sprintf("%s %s of %s", t.Kind, t.Path, t.From)
		if t.Unknown != "" {
			unres = append(unres, unresolved{What: t.Kind + " path", Why: why,
				How: "the path is known only after apply (" + t.Unknown + "); give it a value known at plan time"})
			continue
		}
		if excludesAll(t.Exclusions) {
			notes = append(notes, fmt.Sprintf("%s %s excludes every object of its path (exclusions %q): it reads nothing there", t.Kind, t.Path, t.Exclusions))
			continue
		}
		raw := t.Path
		if !isS3URL(raw) {
			// "The include path syntax is bucket-name/folder-name/file-name.ext"
			// (Crawler properties): the scheme is optional.
			raw = "s3://" + strings.TrimPrefix(raw, "/")
		}
		u, err := parseS3URL(raw, true)
		if err != nil {
			unres = append(unres, unresolved{What: t.Path, Why: why, How: "use an include path of the form bucket/prefix or s3://bucket/prefix: " + err.Error()})
			continue
		}
		locs = append(locs, location{URL: u, Intent: OriginDataRead, Why: why, Source: SourceCrawler})
		if t.Mode == ModeReadWrite || t.Mode == ModeWrite {
			locs = append(locs, location{URL: u, Intent: OriginWrite, Why: why, Source: SourceCrawler})
		}
	}
	return locs, unres, notes
}

// excludesAll reports whether an exclude pattern matches every key under the
// include path: "**" crosses folder boundaries and matches anything
// (Crawler properties, "Include and exclude patterns"). Narrower patterns
// leave the path read.
func excludesAll(exclusions []string) bool {
	for _, e := range exclusions {
		if strings.TrimSpace(e) == "**" {
			return true
		}
	}
	return false
}

// crawlerOnLakeFormation sets aside the crawler locations inside a location
// registered with Lake Formation (not in hybrid access mode): a crawler
// without Lake Formation credentials reads them with its role, and whether
// Lake Formation lets it is not documented ("Configuring a crawler to use
// Lake Formation credentials" covers only crawlers using them), so they are
// unknown rather than decided by the role's S3 policy.
func (c *checker) crawlerOnLakeFormation(locs []location) []location {
	var out []location
	for _, l := range locs {
		reg := c.registration(l.URL)
		if reg == nil || reg.HybridAccess.Known && reg.HybridAccess.V {
			out = append(out, l)
			continue
		}
		c.add(rawFinding{ID: GA001, Verdict: UnknownVerd, Reason: ReasonLFNoPermission,
			Need:    Need{Action: "s3:*", URL: l.URL.Raw, Bucket: l.URL.Bucket, Prefix: l.URL.Key, Intent: l.Intent, Why: l.Why, Source: l.Source},
			Because: fmt.Sprintf("%s is registered with Lake Formation by %s; how Lake Formation treats a crawler reading it with its own role is not documented", l.URL.Raw, reg.Address),
			Missing: []Missing{{Fact: "Lake Formation's decision for the crawler's role on " + l.URL.Raw,
				How: "use Lake Formation credentials for the crawler (lake_formation_configuration) and check its grants by hand, or register the location in hybrid access mode"}}})
	}
	return out
}

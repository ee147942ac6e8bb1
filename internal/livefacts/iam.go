package livefacts

import (
	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// roleGaps reports whether the job's role is known by ARN but none of its
// policies are: a role created by another stack, or read by a data source.
func roleGaps(r *access.Role) bool {
	return r != nil && r.ARN.Known && !r.PoliciesComplete && len(r.Inline) == 0 && len(r.Managed) == 0 && r.Boundary == nil
}

// fillRole fills a role's identity, policies and boundary from lf. Every
// policy listing that was found makes the set complete; one that was not
// stands as an unknown policy carrying the reason.
func fillRole(n *notes, r *access.Role, lf awslive.RoleFacts) {
	// r is a copy whose (empty) lists may share storage with other jobs'.
	r.Inline, r.Managed = nil, nil
	if info, ok := lf.Role.Get(); ok {
		if !r.UniqueID.Known {
			r.UniqueID = known(info.RoleID, lf.Role)
		}
		if !r.Tags.Known {
			tags := info.Tags
			if tags == nil {
				tags = map[string]string{}
			}
			r.Tags = known(tags, lf.Role)
		}
	} else {
		// No role, or no answer: the policies cannot be listed.
		note := reason(n, lf.Role)
		if lf.Role.Status == awslive.NotFound {
			note = access.Provenance{Note: "no such role " + lf.Ref + " (" + lf.Role.Source + ")"}
		}
		r.Inline = append(r.Inline, access.PolicyDoc{Label: "policies of role " + lf.Ref, From: note})
		return
	}
	complete := true
	if inline, ok := lf.Inline.Get(); ok {
		for _, p := range inline {
			r.Inline = append(r.Inline, livePolicy(n, p.Document, "inline policy "+p.Name+" of role "+lf.Ref))
		}
	} else {
		complete = false
		r.Inline = append(r.Inline, access.PolicyDoc{Label: "inline policies of role " + lf.Ref, From: reason(n, lf.Inline)})
	}
	if attached, ok := lf.Attached.Get(); ok {
		for _, p := range attached {
			r.Managed = append(r.Managed, liveManaged(n, p, lf.Attached.Source))
		}
	} else {
		complete = false
		r.Inline = append(r.Inline, access.PolicyDoc{Label: "attached policies of role " + lf.Ref, From: reason(n, lf.Attached)})
	}
	switch lf.Boundary.Status {
	case awslive.Found:
		b := liveManaged(n, lf.Boundary.Value, lf.Boundary.Source)
		r.Boundary = &b
	case awslive.Unknown:
		r.Boundary = &access.ManagedPolicy{ARN: unknownFrom[string](n, lf.Boundary)}
	}
	r.PoliciesComplete = complete
}

// livePolicy turns a looked-up document into a policy fact labelled with
// its source.
func livePolicy(n *notes, doc awslive.Fact[string], what string) access.PolicyDoc {
	if doc.Status == awslive.Found {
		return access.PolicyDoc{Label: doc.Source, JSON: doc.Value, Known: true, From: access.Provenance{Note: doc.Source}}
	}
	return access.PolicyDoc{Label: what, From: reason(n, doc)}
}

// liveManaged turns a managed policy into its fact. AWS managed documents are
// left nil: the access model resolves them from the embedded set, so results
// do not depend on when AWS last changed them.
func liveManaged(n *notes, p awslive.ManagedPolicy, listed string) access.ManagedPolicy {
	mp := access.ManagedPolicy{ARN: access.Known(p.ARN, access.Provenance{Note: listed})}
	if !p.AWSManaged {
		d := livePolicy(n, p.Document, p.ARN)
		mp.Document = &d
	}
	return mp
}

package livefacts

import (
	"context"
	"html"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive/awsfake"
)

const (
	bucketPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"arn:aws:s3:::partner-data/*"}]}`
	keyPolicy    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
	allowAll     = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	roleARN      = "arn:aws:iam::111122223333:role/glue-live"
)

func filler(t *testing.T, handlers map[string]awsfake.Handler) (*Filler, *awsfake.Server) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	fake := awsfake.New(t, handlers)
	l, err := awslive.New(context.Background(), awslive.Options{
		Enabled: true, Region: "eu-west-1", EndpointURL: fake.URL, Credentials: awsfake.Credentials(), Timeout: 2 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return New(l), fake
}

// job reads s3://partner-data/in/ as role glue-live.
func job() *access.Facts {
	return &access.Facts{
		Job: access.Job{
			Address:        "aws_glue_job.etl",
			ScriptLocation: access.Known("s3://partner-data/in/etl.py", access.Provenance{}),
		},
		Role: &access.Role{
			ARN:              access.Known(roleARN, access.Provenance{}),
			Account:          access.Known("111122223333", access.Provenance{}),
			Inline:           []access.PolicyDoc{{JSON: allowAll, Known: true}},
			PoliciesComplete: true,
		},
	}
}

func TestPlannedValuesAreNeverReplaced(t *testing.T) {
	fl, _ := filler(t, awsfake.World(bucketPolicy, keyPolicy, allowAll))
	pending := access.Provenance{Address: "aws_s3_bucket_policy.p", Attribute: "policy", Note: "not known until apply"}
	planned := access.Provenance{Address: "aws_s3_bucket_ownership_controls.o", Attribute: "rule.0.object_ownership"}
	f := job()
	f.Buckets = []access.Bucket{{
		Name:            "partner-data",
		Owner:           access.Known("111122223333", access.Provenance{File: ".glueaccess.hcl", Line: 3}),
		Policy:          &access.PolicyDoc{Label: "aws_s3_bucket_policy.p", From: pending},
		ObjectOwnership: access.Known(access.OwnershipObjectWriter, planned),
		// Not managed in the plan: looked up.
		SSEAlgorithm: access.Unknown[access.SSEAlgorithm](access.Provenance{Note: "default encryption of bucket partner-data not in the plan"}),
	}}
	before := f.Buckets[0]
	out, notes := fl.Fill(context.Background(), f)
	if len(notes) != 0 {
		t.Errorf("notes = %q, want none", notes)
	}
	b := out.Buckets[0]
	if b.Policy.Known || b.Policy.From != pending {
		t.Errorf("a policy pending apply was replaced: %+v", b.Policy)
	}
	if b.ObjectOwnership != before.ObjectOwnership || b.Owner != before.Owner {
		t.Errorf("planned values replaced: ownership %+v owner %+v", b.ObjectOwnership, b.Owner)
	}
	if !b.SSEAlgorithm.Known || b.SSEAlgorithm.V != access.SSEKMS || b.SSEKMSKeyID.V != awsfake.KeyARN ||
		b.SSEAlgorithm.From.Note != "s3:GetEncryptionConfiguration arn:aws:s3:::partner-data (live)" {
		t.Errorf("default encryption = %+v key %+v, want aws:kms from the live lookup", b.SSEAlgorithm, b.SSEKMSKeyID)
	}
	if !reflect.DeepEqual(f.Buckets[0], before) {
		t.Error("Fill changed its input")
	}
}

func TestBucketOutsideThePlan(t *testing.T) {
	tests := []struct {
		name string
		edit func(map[string]awsfake.Handler)
		// check inspects the filled bucket and its key.
		check func(t *testing.T, b access.Bucket, keys []access.KMSKey, notes []string)
	}{
		{
			name: "found settings become known facts citing their source",
			check: func(t *testing.T, b access.Bucket, keys []access.KMSKey, notes []string) {
				if b.Owner.V != "111122223333" || !b.Owner.Known {
					t.Errorf("owner = %+v, want the credentials' account (GetBucketPolicy answered)", b.Owner)
				}
				if b.Policy == nil || !b.Policy.Known || b.Policy.Label != "s3:GetBucketPolicy arn:aws:s3:::partner-data (live)" {
					t.Errorf("policy = %+v", b.Policy)
				}
				if b.RequestPayer.V != access.PayerBucketOwner || b.ObjectOwnership.V != access.OwnershipBucketOwnerEnforced || !b.PublicAccess.RestrictPublicBuckets.V {
					t.Errorf("settings = payer %+v ownership %+v pab %+v", b.RequestPayer, b.ObjectOwnership, b.PublicAccess)
				}
				if len(keys) != 1 || keys[0].ARN.V != awsfake.KeyARN || keys[0].Policy == nil || keys[0].Policy.JSON != keyPolicy {
					t.Errorf("keys = %+v, want the bucket's default key with its policy", keys)
				}
			},
		},
		{
			name: "no policy and no ownership controls are facts",
			edit: func(w map[string]awsfake.Handler) {
				w["s3:GetBucketPolicy"] = awsfake.Error("s3", 404, "NoSuchBucketPolicy")
				w["s3:GetBucketOwnershipControls"] = awsfake.Error("s3", 404, "OwnershipControlsNotFoundError")
			},
			check: func(t *testing.T, b access.Bucket, _ []access.KMSKey, notes []string) {
				if b.Policy != nil {
					t.Errorf("policy = %+v, want nil (no bucket policy)", b.Policy)
				}
				if !b.ObjectOwnership.Known || b.ObjectOwnership.V != access.OwnershipObjectWriter {
					t.Errorf("ownership = %+v, want ObjectWriter", b.ObjectOwnership)
				}
				if !b.Owner.Known {
					t.Errorf("owner = %+v: NoSuchBucketPolicy is an answer only the owner's account gets", b.Owner)
				}
				if len(notes) != 0 {
					t.Errorf("notes = %q, want none", notes)
				}
			},
		},
		{
			name: "a denied policy lookup leaves policy and owner unknown with the reason",
			edit: func(w map[string]awsfake.Handler) { w["s3:GetBucketPolicy"] = awsfake.Error("s3", 403, "AccessDenied") },
			check: func(t *testing.T, b access.Bucket, _ []access.KMSKey, notes []string) {
				const why = "the lookup lacked s3:GetBucketPolicy on arn:aws:s3:::partner-data (AccessDenied)"
				if b.Policy == nil || b.Policy.Known || b.Policy.From.Note != why {
					t.Errorf("policy = %+v, want unknown because %q", b.Policy, why)
				}
				if b.Owner.Known || b.Owner.From.Note != why {
					t.Errorf("owner = %+v, want unknown because %q", b.Owner, why)
				}
				if !reflect.DeepEqual(notes, []string{"live lookup: " + why}) {
					t.Errorf("notes = %q", notes)
				}
			},
		},
		{
			name: "grants that cannot be listed make the key policy unknown",
			edit: func(w map[string]awsfake.Handler) {
				w["kms:ListGrants"] = awsfake.Error("kms", 400, "AccessDeniedException")
			},
			check: func(t *testing.T, _ access.Bucket, keys []access.KMSKey, notes []string) {
				if len(keys) != 1 || keys[0].Policy == nil || keys[0].Policy.Known || !strings.Contains(keys[0].Policy.From.Note, "kms:ListGrants") {
					t.Errorf("keys = %+v, want one with an unknown policy naming kms:ListGrants", keys)
				}
				if len(notes) != 1 || !strings.Contains(notes[0], "the lookup lacked kms:ListGrants") {
					t.Errorf("notes = %q", notes)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := awsfake.World(bucketPolicy, keyPolicy, allowAll)
			if tc.edit != nil {
				tc.edit(w)
			}
			fl, _ := filler(t, w)
			out, notes := fl.Fill(context.Background(), job())
			if len(out.Buckets) != 1 || out.Buckets[0].Name != "partner-data" {
				t.Fatalf("buckets = %+v, want partner-data", out.Buckets)
			}
			tc.check(t, out.Buckets[0], out.Keys, notes)
		})
	}
}

func TestOrganizationPath(t *testing.T) {
	const deny = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}`
	fl, _ := filler(t, awsfake.World(bucketPolicy, keyPolicy, deny))
	out, _ := fl.Fill(context.Background(), job())
	o := out.Org
	if o == nil || o.ID.V != awsfake.OrgID || o.ManagementAccount.V != "999988887777" {
		t.Fatalf("org = %+v", o)
	}
	var ids []string
	for _, n := range o.Nodes {
		ids = append(ids, n.Kind+":"+n.ID+"<"+n.Parent.V)
	}
	want := []string{"root:" + awsfake.RootID + "<", "ou:" + awsfake.OUID + "<" + awsfake.RootID, "account:111122223333<" + awsfake.OUID}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("nodes = %q, want %q", ids, want)
	}
	ou := o.Nodes[1]
	if len(ou.SCPs) != 1 || ou.SCPs[0].JSON != deny || ou.FullAWSAccessDetached {
		t.Errorf("OU SCPs = %+v detached %v, want the OU's own SCP, FullAWSAccess attached", ou.SCPs, ou.FullAWSAccessDetached)
	}
}

func TestOrganizationNotFoundIsNoOrganization(t *testing.T) {
	w := awsfake.World(bucketPolicy, keyPolicy, allowAll)
	w["organizations:DescribeOrganization"] = awsfake.Error("organizations", 400, "AWSOrganizationsNotInUseException")
	fl, _ := filler(t, w)
	out, notes := fl.Fill(context.Background(), job())
	if out.Org != nil {
		t.Errorf("org = %+v, want none", out.Org)
	}
	if len(notes) != 0 {
		t.Errorf("notes = %q", notes)
	}
}

func TestRoleIsCopiedBeforeFilling(t *testing.T) {
	w := awsfake.World(bucketPolicy, keyPolicy, allowAll)
	w["iam:GetRole"] = awsfake.Error("iam", 403, "AccessDenied")
	fl, _ := filler(t, w)
	f := job()
	shared := &access.Role{ARN: access.Known(roleARN, access.Provenance{}), Account: access.Known("111122223333", access.Provenance{})}
	f.Role = shared
	out, notes := fl.Fill(context.Background(), f)
	if len(shared.Inline) != 0 {
		t.Errorf("the shared role was changed: %+v", shared.Inline)
	}
	if len(out.Role.Inline) != 1 || out.Role.Inline[0].Known || out.Role.PoliciesComplete {
		t.Errorf("role = %+v, want one unknown policy standing for the unreadable ones", out.Role)
	}
	want := "live lookup: the lookup lacked iam:GetRole on " + roleARN + " (AccessDenied)"
	if !reflect.DeepEqual(notes, []string{want}) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
}

func TestBucketCreatedInPlanIsNotLookedUp(t *testing.T) {
	fl, fake := filler(t, awsfake.World(bucketPolicy, keyPolicy, allowAll))
	f := job()
	f.Buckets = []access.Bucket{{
		Name: "partner-data", CreatedInPlan: true,
		// ACLs configured without ownership controls: not known, yet nothing
		// exists in AWS to ask about.
		ObjectOwnership: access.Unknown[access.Ownership](access.Provenance{Note: "no aws_s3_bucket_ownership_controls for bucket partner-data"}),
	}}
	out, _ := fl.Fill(context.Background(), f)
	if n := fake.Count("s3:GetBucketLocation"); n != 0 {
		t.Errorf("a bucket the plan creates was looked up (%d calls)", n)
	}
	if out.Buckets[0].ObjectOwnership.Known {
		t.Errorf("ownership = %+v, want still unknown", out.Buckets[0].ObjectOwnership)
	}
}

func ec2Answer(op, body string) awsfake.Handler {
	return awsfake.Answer(`<?xml version="1.0" encoding="UTF-8"?><` + op + `Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>R</requestId>` + body + `</` + op + `Response>`)
}

func TestNetworkOfASubnetOutsideThePlan(t *testing.T) {
	const endpointPolicy = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::partner-data/*"}]}`
	w := awsfake.World(bucketPolicy, keyPolicy, allowAll)
	w["ec2:DescribeSubnets"] = ec2Answer("DescribeSubnets", `<subnetSet><item><subnetId>subnet-0abc</subnetId><vpcId>vpc-0abc</vpcId><ownerId>111122223333</ownerId><availabilityZone>eu-west-1a</availabilityZone><state>available</state></item></subnetSet>`)
	w["ec2:DescribeRouteTables"] = ec2Answer("DescribeRouteTables", `<routeTableSet><item><routeTableId>rtb-0abc</routeTableId><vpcId>vpc-0abc</vpcId><routeSet><item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-0abc</natGatewayId><state>active</state></item></routeSet><associationSet><item><main>false</main><routeTableId>rtb-0abc</routeTableId><subnetId>subnet-0abc</subnetId></item></associationSet></item></routeTableSet>`)
	w["ec2:DescribeVpcEndpoints"] = ec2Answer("DescribeVpcEndpoints", `<vpcEndpointSet>`+
		`<item><vpcEndpointId>vpce-0abc</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>vpc-0abc</vpcId><serviceName>com.amazonaws.eu-west-1.s3</serviceName><state>available</state><policyDocument>`+html.EscapeString(endpointPolicy)+`</policyDocument><routeTableIdSet><item>rtb-0abc</item></routeTableIdSet></item>`+
		`<item><vpcEndpointId>vpce-0old</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>vpc-0abc</vpcId><serviceName>com.amazonaws.eu-west-1.s3</serviceName><state>deleted</state><policyDocument>`+html.EscapeString(allowAll)+`</policyDocument><routeTableIdSet><item>rtb-0abc</item></routeTableIdSet></item>`+
		`</vpcEndpointSet>`)
	fl, _ := filler(t, w)
	f := job()
	f.Job.Connections = []access.Connection{{Name: "net", Found: true, SubnetID: access.Known("subnet-0abc", access.Provenance{})}}
	shared := &access.Network{VPCs: []access.VPC{{ID: "vpc-other"}}}
	f.Network = shared
	out, notes := fl.Fill(context.Background(), f)
	n := out.Network
	if len(shared.Subnets) != 0 {
		t.Error("the shared network facts were changed")
	}
	if len(notes) != 0 {
		t.Errorf("notes = %q", notes)
	}
	if len(n.Subnets) != 1 || n.Subnets[0].VPCID.V != "vpc-0abc" || n.Subnets[0].RouteTableID.V != "rtb-0abc" {
		t.Fatalf("subnets = %+v", n.Subnets)
	}
	if len(n.RouteTables) != 1 || !n.RouteTables[0].HasNAT.Known || !n.RouteTables[0].HasNAT.V {
		t.Errorf("route tables = %+v, want rtb-0abc with a NAT", n.RouteTables)
	}
	if len(n.Endpoints) != 1 || n.Endpoints[0].ID != "vpce-0abc" || n.Endpoints[0].Policy == nil || n.Endpoints[0].Policy.JSON != endpointPolicy {
		t.Errorf("endpoints = %+v, want vpce-0abc only (vpce-0old is deleted) with its policy", n.Endpoints)
	}
	if len(n.VPCs) != 1 {
		t.Errorf("VPCs = %+v, want the plan's only (the subnet has an explicit association)", n.VPCs)
	}
}

// TestSuppliedOrganizationIDFilled: an organization described without its id
// or management account gets them from Organizations when the role's account
// is found in the caller's organization; the supplied tree stays, a supplied
// or pending value is never replaced, and a lookup that cannot confirm the
// account leaves them unknown with the reason.
func TestSuppliedOrganizationIDFilled(t *testing.T) {
	tree := func(id, mgmt access.Value[string]) *access.Organization {
		return &access.Organization{ID: id, ManagementAccount: mgmt, Nodes: []access.OrgNode{
			{ID: "r-user", Kind: access.NodeRoot, Parent: access.Known("", access.Provenance{})},
			{ID: "111122223333", Kind: access.NodeAccount, Parent: access.Known("r-user", access.Provenance{})},
		}}
	}
	notSet := access.Unknown[string](access.Provenance{Note: "organization.id not set"})
	pending := access.Unknown[string](access.Provenance{Attribute: "aws_organizations_organization.this.id"})
	given := access.Known("o-given12345", access.Provenance{Attribute: "organization.id"})
	mgmtGiven := access.Known("123456789012", access.Provenance{Attribute: "organization.management_account_id"})
	cases := map[string]struct {
		org            *access.Organization
		edit           func(map[string]awsfake.Handler)
		wantID, wantMg string // "" = unknown
		wantNote       string
		wantCalls      int
	}{
		"id and management account missing are filled": {org: tree(notSet, access.Value[string]{}), wantID: awsfake.OrgID, wantMg: "999988887777", wantCalls: 1},
		"a given id is kept":                           {org: tree(given, access.Value[string]{}), wantID: "o-given12345", wantMg: "999988887777", wantCalls: 1},
		"a given management account is kept":           {org: tree(notSet, mgmtGiven), wantID: awsfake.OrgID, wantMg: "123456789012", wantCalls: 1},
		"pending values are not looked up":             {org: tree(pending, mgmtGiven), wantCalls: 0, wantMg: "123456789012"},
		"account not confirmed in the caller's organization": {
			org: tree(notSet, access.Value[string]{}),
			edit: func(w map[string]awsfake.Handler) {
				w["organizations:ListParents"] = awsfake.Error("organizations", 400, "AccessDeniedException")
			},
			wantNote: "AccessDeniedException", wantCalls: 1,
		},
		"caller in no organization": {
			org: tree(notSet, access.Value[string]{}),
			edit: func(w map[string]awsfake.Handler) {
				w["organizations:DescribeOrganization"] = awsfake.Error("organizations", 400, "AWSOrganizationsNotInUseException")
			},
			wantNote: "in no organization", wantCalls: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := awsfake.World(bucketPolicy, keyPolicy, allowAll)
			if tc.edit != nil {
				tc.edit(w)
			}
			fl, fake := filler(t, w)
			f := job()
			f.Org = tc.org
			before := *tc.org
			out, notes := fl.Fill(context.Background(), f)
			if !reflect.DeepEqual(*tc.org, before) {
				t.Error("the supplied organization was changed in place")
			}
			o := out.Org
			if !reflect.DeepEqual(o.Nodes, tc.org.Nodes) {
				t.Errorf("nodes = %+v, want the supplied tree", o.Nodes)
			}
			for _, c := range []struct {
				what string
				got  access.Value[string]
				want string
				orig access.Value[string]
			}{{"id", o.ID, tc.wantID, tc.org.ID}, {"management account", o.ManagementAccount, tc.wantMg, tc.org.ManagementAccount}} {
				switch {
				case c.want != "" && (!c.got.Known || c.got.V != c.want):
					t.Errorf("%s = %+v, want %q", c.what, c.got, c.want)
				case c.want == "" && c.got.Known:
					t.Errorf("%s = %q, want unknown", c.what, c.got.V)
				case c.want == "" && c.orig.From.Attribute == "" && !strings.Contains(c.got.From.Note, tc.wantNote):
					t.Errorf("%s provenance = %q, want the reason %q", c.what, c.got.From.Note, tc.wantNote)
				}
			}
			if tc.wantNote != "" && !strings.Contains(strings.Join(notes, "\n"), tc.wantNote) {
				t.Errorf("notes = %q, want %q", notes, tc.wantNote)
			}
			if n := fake.Count("organizations:DescribeOrganization"); n != tc.wantCalls {
				t.Errorf("%d DescribeOrganization calls, want %d", n, tc.wantCalls)
			}
		})
	}
}

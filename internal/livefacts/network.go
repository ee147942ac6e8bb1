package livefacts

import (
	"slices"
	"strings"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/awslive"
)

// missingSubnets returns the subnets of the job's connections that the
// network facts do not describe, sorted. Only real subnet ids are asked about.
func missingSubnets(f *access.Facts) []string {
	var out []string
	for _, c := range f.Job.Connections {
		id, ok := c.SubnetID.Get()
		if !c.Found || !ok || !strings.HasPrefix(id, "subnet-") || strings.Contains(id, ".") {
			continue
		}
		if f.Network != nil && slices.ContainsFunc(f.Network.Subnets, func(s access.Subnet) bool { return s.ID == id }) {
			continue
		}
		out = append(out, id)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// withNetwork returns a copy of base (nil: none) with the looked-up subnets,
// their VPCs, route tables and S3 endpoints added. Entries the base already
// holds win.
func withNetwork(n *notes, base *access.Network, facts []awslive.NetworkFacts) *access.Network {
	out := &access.Network{}
	if base != nil {
		out.Subnets = slices.Clone(base.Subnets)
		out.VPCs = slices.Clone(base.VPCs)
		out.RouteTables = slices.Clone(base.RouteTables)
		out.Endpoints = slices.Clone(base.Endpoints)
	}
	for _, lf := range facts {
		sn, ok := lf.Subnet.Get()
		if !ok {
			note := reason(n, lf.Subnet)
			if lf.Subnet.Status == awslive.NotFound {
				note = access.Provenance{Note: "no such subnet " + lf.SubnetID + " (" + lf.Subnet.Source + ")"}
			}
			out.Subnets = append(out.Subnets, access.Subnet{ID: lf.SubnetID, From: note, VPCID: access.Unknown[string](note), RouteTableID: access.Unknown[string](note)})
			continue
		}
		s := access.Subnet{ID: sn.ID, From: access.Provenance{Note: lf.Subnet.Source}, VPCID: known(sn.VPCID, lf.Subnet)}
		rt, rtOK := lf.RouteTable.Get()
		eps, epOK := lf.Endpoints.Get()
		switch {
		case !rtOK:
			s.RouteTableID = unknownFrom[string](n, lf.RouteTable)
		case !epOK:
			// Without the VPC's endpoints the route cannot be followed.
			s.RouteTableID = unknownFrom[string](n, lf.Endpoints)
		case rt.Main:
			s.RouteTableID = access.Known("", access.Provenance{Note: lf.RouteTable.Source + ": no explicit association, the VPC's main table"})
			if !slices.ContainsFunc(out.VPCs, func(v access.VPC) bool { return v.ID == sn.VPCID }) {
				out.VPCs = append(out.VPCs, access.VPC{ID: sn.VPCID, MainRouteTableID: known(rt.ID, lf.RouteTable)})
			}
		default:
			s.RouteTableID = known(rt.ID, lf.RouteTable)
		}
		out.Subnets = append(out.Subnets, s)
		if rtOK && !slices.ContainsFunc(out.RouteTables, func(t access.RouteTable) bool { return t.ID == rt.ID }) {
			out.RouteTables = append(out.RouteTables, access.RouteTable{ID: rt.ID, HasNAT: known(rt.HasNAT, lf.RouteTable)})
		}
		for _, e := range eps {
			if e.State != "" && e.State != "available" && e.State != "pending" {
				continue // deleted, rejected or failed: carries no traffic
			}
			if slices.ContainsFunc(out.Endpoints, func(x access.VPCEndpoint) bool { return x.ID == e.ID }) {
				continue
			}
			src := lf.Endpoints.Source
			out.Endpoints = append(out.Endpoints, access.VPCEndpoint{
				ID: e.ID, From: access.Provenance{Note: src}, VPCID: sn.VPCID, ServiceName: e.ServiceName, Type: e.Type,
				RouteTableIDs: e.RouteTableIDs, PrivateDNS: e.PrivateDNS, InboundResolverOnly: e.InboundResolverOnly,
				Policy: &access.PolicyDoc{Label: "policy of " + e.ID + " (" + src + ")", JSON: e.Policy, Known: true, From: access.Provenance{Note: src}},
			})
		}
	}
	return out
}

package validator

import (
	"strconv"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/glueaccess/terraform-provider-glueaccess/internal/access"
	"github.com/glueaccess/terraform-provider-glueaccess/internal/planjson"
)

// buildNetwork returns the subnets, VPCs, route tables and S3 endpoints of the
// plan, nil when the plan has none of them. IDs unknown until apply are
// replaced by stand-ins naming the resource, so references still link.
func (b *builder) buildNetwork() *access.Network {
	n := &access.Network{}
	subnetRT := map[string]access.Value[string]{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_route_table_association") {
		subnet, _, ok := b.linked(r, "subnet_id")
		if !ok || subnet == "" {
			continue
		}
		rt, _, ok := b.linked(r, "route_table_id")
		if ok {
			subnetRT[subnet] = access.Known(rt, from(r, "route_table_id"))
		} else {
			subnetRT[subnet] = access.Unknown[string](from(r, "route_table_id"))
		}
	}
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_subnet") {
			s := access.Subnet{ID: b.symbol(r, "id"), Address: r.Address, From: access.Provenance{Address: r.Address}}
			s.VPCID = b.linkedValue(r, "vpc_id")
			if rt, ok := subnetRT[s.ID]; ok {
				s.RouteTableID = rt
			} else if mode == tfjson.ManagedResourceMode && r.Created {
				s.RouteTableID = access.Known("", access.Provenance{Address: r.Address, Note: "no explicit route table association: the VPC's main table"})
			} else {
				s.RouteTableID = access.Unknown[string](access.Provenance{Address: r.Address, Note: "route table associations of an existing subnet may be managed elsewhere"})
			}
			n.Subnets = append(n.Subnets, s)
		}
	}
	mainRT := map[string]access.Value[string]{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_main_route_table_association") {
		if vpc, _, ok := b.linked(r, "vpc_id"); ok {
			mainRT[vpc] = b.linkedValue(r, "route_table_id")
		}
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_default_route_table") {
		// The default route table is the VPC's main table unless replaced.
		id := b.symbol(r, "id")
		if t, ok := b.ix.Reference(r, "default_route_table_id"); ok && t.Resource.Type == "aws_vpc" {
			vpc := b.symbol(t.Resource, "id")
			if _, replaced := mainRT[vpc]; !replaced {
				mainRT[vpc] = access.Known(id, from(r, "id"))
			}
		}
		n.RouteTables = append(n.RouteTables, access.RouteTable{ID: id, HasNAT: b.hasNAT(r, id)})
	}
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_vpc") {
			v := access.VPC{ID: b.symbol(r, "id")}
			if m, ok := mainRT[v.ID]; ok {
				v.MainRouteTableID = m
			} else {
				v.MainRouteTableID = access.Known(b.symbol(r, "main_route_table_id"), from(r, "main_route_table_id"))
			}
			n.VPCs = append(n.VPCs, v)
		}
	}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_route_table") {
		id := b.symbol(r, "id")
		n.RouteTables = append(n.RouteTables, access.RouteTable{ID: id, HasNAT: b.hasNAT(r, id)})
	}
	assoc := map[string][]string{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_vpc_endpoint_route_table_association") {
		ep, _, ok1 := b.linked(r, "vpc_endpoint_id")
		rt, _, ok2 := b.linked(r, "route_table_id")
		if ok1 && ok2 {
			assoc[ep] = append(assoc[ep], rt)
		}
	}
	epPolicy := map[string]*planjson.Resource{}
	for _, r := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_vpc_endpoint_policy") {
		if ep, _, ok := b.linked(r, "vpc_endpoint_id"); ok {
			epPolicy[ep] = r
		}
	}
	for _, mode := range []tfjson.ResourceMode{tfjson.ManagedResourceMode, tfjson.DataResourceMode} {
		for _, r := range b.ix.OfType(mode, "aws_vpc_endpoint") {
			svc := b.str(r, "service_name")
			if !svc.Known || !strings.HasSuffix(svc.V, ".s3") {
				continue
			}
			e := access.VPCEndpoint{ID: b.symbol(r, "id"), Address: r.Address, From: access.Provenance{Address: r.Address}, ServiceName: svc.V}
			e.VPCID, _, _ = b.linked(r, "vpc_id")
			e.Type = access.EndpointGateway
			if t := b.str(r, "vpc_endpoint_type"); t.Known && t.V != "" {
				e.Type = t.V
			}
			e.RouteTableIDs = b.linkedList(r, "route_table_ids")
			for _, rt := range assoc[e.ID] {
				if !contains(e.RouteTableIDs, rt) {
					e.RouteTableIDs = append(e.RouteTableIDs, rt)
				}
			}
			e.PrivateDNS = b.boolean(r, "private_dns_enabled", false).V
			e.InboundResolverOnly = b.boolean(r, "dns_options.0.private_dns_only_for_inbound_resolver_endpoint", false).V
			switch {
			case epPolicy[e.ID] != nil:
				p := epPolicy[e.ID]
				if configured(p, "policy") || !p.Created {
					e.Policy = b.policyDoc(p, "policy", p.Address)
				}
			case configured(r, "policy") || !r.Created:
				e.Policy = b.policyDoc(r, "policy", r.Address+" policy")
			}
			n.Endpoints = append(n.Endpoints, e)
		}
	}
	if len(n.Subnets)+len(n.VPCs)+len(n.RouteTables)+len(n.Endpoints) == 0 {
		return nil
	}
	return n
}

// hasNAT reports whether a route table sends internet-bound traffic to a NAT
// gateway, NAT instance (network interface) or transit gateway, from its
// inline routes and the aws_route resources targeting it.
func (b *builder) hasNAT(r *planjson.Resource, id string) access.Value[bool] {
	p := from(r, "route")
	v, ok := b.raw(r, "route")
	if !ok && r.IsUnknown("route") {
		return access.Unknown[bool](p)
	}
	routes, _ := v.([]any)
	for i := range routes {
		if b.natRoute(r, "route."+strconv.Itoa(i)+".", "route") {
			return access.Known(true, p)
		}
	}
	for _, rt := range b.ix.OfType(tfjson.ManagedResourceMode, "aws_route") {
		if target, _, ok := b.linked(rt, "route_table_id"); ok && target == id && b.natRoute(rt, "", "") {
			return access.Known(true, from(rt, ""))
		}
	}
	return access.Known(false, p)
}

// natRoute reports whether the route at prefix is a default route to a NAT.
func (b *builder) natRoute(r *planjson.Resource, prefix, block string) bool {
	dest := b.str(r, prefix+"destination_cidr_block")
	if !dest.Known || dest.V == "" {
		dest = b.str(r, prefix+"cidr_block")
	}
	if !dest.Known || dest.V != "0.0.0.0/0" {
		return false
	}
	for _, a := range []string{"nat_gateway_id", "transit_gateway_id", "network_interface_id"} {
		if v := b.str(r, prefix+a); !v.Known || v.V != "" {
			return true
		}
		if block == "" {
			if _, ok := b.ix.Reference(r, a); ok {
				return true
			}
		}
	}
	return false
}

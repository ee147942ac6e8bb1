package awslive

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// NetworkFacts are where a subnet sends S3 traffic: its VPC, the route table
// it uses, and the VPC's S3 endpoints with their policies. Lookups run in the
// default Region (the job's).
type NetworkFacts struct {
	SubnetID string
	// Subnet comes from ec2:DescribeSubnets; NotFound means no such subnet.
	Subnet Fact[Subnet]
	// RouteTable is the table explicitly associated with the subnet, or else
	// the VPC's main table.
	RouteTable Fact[RouteTable]
	// Endpoints are the VPC's S3 endpoints (gateway and interface), sorted by
	// id; an empty list is a Found fact: the VPC has none.
	Endpoints Fact[[]Endpoint]
}

// Subnet is what DescribeSubnets says about a subnet.
type Subnet struct {
	ID               string
	VPCID            string
	AvailabilityZone string
	OwnerAccount     string
}

// RouteTable is the route table a subnet uses.
type RouteTable struct {
	ID string
	// Main is true when the subnet has no explicit association and uses the
	// VPC's main table.
	Main bool
	// HasNAT is true when an active default route (0.0.0.0/0) leads to a NAT
	// gateway, a NAT instance or a transit gateway.
	HasNAT bool
	Routes []Route
}

// Route is one route: its destination (CIDR or prefix list) and target id.
type Route struct {
	Destination string
	Target      string
	// State is active or blackhole.
	State string
}

// Endpoint is an S3 VPC endpoint.
type Endpoint struct {
	ID          string
	Type        string // Gateway or Interface
	ServiceName string // com.amazonaws.<region>.s3
	State       string
	// RouteTableIDs are a gateway endpoint's route tables, sorted.
	RouteTableIDs []string
	// PrivateDNS and InboundResolverOnly decide whether an interface
	// endpoint receives in-VPC traffic.
	PrivateDNS          bool
	InboundResolverOnly bool
	// Policy is the endpoint policy JSON (AWS reports the default
	// full-access policy when none was set). An endpoint whose policy is
	// missing or malformed makes the whole Endpoints fact Unknown.
	Policy string
}

// Network follows subnetID to its VPC, its route table (explicit association,
// else the main table) and the VPC's S3 endpoints.
func (l *Lookup) Network(ctx context.Context, subnetID string) NetworkFacts {
	n := NetworkFacts{SubnetID: subnetID}
	srcs := [...]string{
		source("ec2:DescribeSubnets", subnetID),
		source("ec2:DescribeRouteTables", subnetID),
		source("ec2:DescribeVpcEndpoints", subnetID),
	}
	off := ""
	switch {
	case !l.Enabled():
		off = OffReason
	case !strings.HasPrefix(subnetID, "subnet-"):
		off = "not a subnet id: " + quote(subnetID)
	}
	if off != "" {
		n.Subnet = unknown[Subnet](srcs[0], off)
		n.RouteTable = unknown[RouteTable](srcs[1], off)
		n.Endpoints = unknown[[]Endpoint](srcs[2], off)
		return n
	}

	n.Subnet = l.subnet(ctx, subnetID, srcs[0])
	sn, ok := n.Subnet.Get()
	if !ok {
		reason := "needs ec2:DescribeSubnets first: " + n.Subnet.Reason
		if n.Subnet.Status == NotFound {
			reason = "subnet " + subnetID + " does not exist (ec2:DescribeSubnets: InvalidSubnetID.NotFound)"
		}
		n.RouteTable = unknown[RouteTable](srcs[1], reason)
		n.Endpoints = unknown[[]Endpoint](srcs[2], reason)
		return n
	}
	parallel(
		func() { n.RouteTable = l.routeTable(ctx, sn) },
		func() { n.Endpoints = l.endpoints(ctx, sn.VPCID) },
	)
	return n
}

func (l *Lookup) subnet(ctx context.Context, id, src string) Fact[Subnet] {
	out, err := call(ctx, l, "ec2:DescribeSubnets\x00"+id, func(ctx context.Context) (*ec2.DescribeSubnetsOutput, error) {
		return l.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{id}})
	})
	if err != nil {
		return failed[Subnet](err, "ec2:DescribeSubnets", id, src, "InvalidSubnetID.NotFound")
	}
	for _, s := range out.Subnets {
		if deref(s.SubnetId) == id && deref(s.VpcId) != "" {
			return found(Subnet{
				ID:               id,
				VPCID:            *s.VpcId,
				AvailabilityZone: deref(s.AvailabilityZone),
				OwnerAccount:     deref(s.OwnerId),
			}, src)
		}
	}
	// A missing subnet is an InvalidSubnetID.NotFound error, never an
	// empty answer.
	return unknown[Subnet](src, "ec2:DescribeSubnets on "+id+" returned no matching subnet")
}

// routeTable finds the table explicitly associated with the subnet, and
// falls back to the VPC's main table.
func (l *Lookup) routeTable(ctx context.Context, sn Subnet) Fact[RouteTable] {
	src := source("ec2:DescribeRouteTables", sn.ID)
	explicit, err := l.routeTables(ctx, "association.subnet-id", sn.ID)
	if err != nil {
		return failed[RouteTable](err, "ec2:DescribeRouteTables", sn.ID, src)
	}
	if len(explicit) > 0 {
		return found(toRouteTable(explicit[0], false), src)
	}
	src = source("ec2:DescribeRouteTables", sn.VPCID+" main")
	main, err := l.routeTables(ctx, "vpc-id", sn.VPCID)
	if err != nil {
		return failed[RouteTable](err, "ec2:DescribeRouteTables", sn.VPCID, src)
	}
	for _, rt := range main {
		for _, a := range rt.Associations {
			if deref(a.Main) {
				return found(toRouteTable(rt, true), src)
			}
		}
	}
	return unknown[RouteTable](src, "ec2:DescribeRouteTables found no main route table for "+sn.VPCID)
}

func (l *Lookup) routeTables(ctx context.Context, filter, value string) ([]types.RouteTable, error) {
	return call(ctx, l, "ec2:DescribeRouteTables\x00"+filter+"\x00"+value, func(ctx context.Context) ([]types.RouteTable, error) {
		var all []types.RouteTable
		p := ec2.NewDescribeRouteTablesPaginator(l.ec2, &ec2.DescribeRouteTablesInput{
			Filters: []types.Filter{{Name: &filter, Values: []string{value}}},
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			all = append(all, page.RouteTables...)
		}
		sort.Slice(all, func(i, j int) bool { return deref(all[i].RouteTableId) < deref(all[j].RouteTableId) })
		return all, nil
	})
}

func toRouteTable(rt types.RouteTable, main bool) RouteTable {
	out := RouteTable{ID: deref(rt.RouteTableId), Main: main}
	for _, r := range rt.Routes {
		dest := firstOf(r.DestinationCidrBlock, r.DestinationIpv6CidrBlock, r.DestinationPrefixListId)
		nat := firstOf(r.NatGatewayId, r.InstanceId, r.NetworkInterfaceId, r.TransitGatewayId)
		target := nat
		if target == "" {
			target = firstOf(r.GatewayId, r.VpcPeeringConnectionId, r.EgressOnlyInternetGatewayId,
				r.CarrierGatewayId, r.LocalGatewayId, r.CoreNetworkArn)
		}
		state := string(r.State)
		out.Routes = append(out.Routes, Route{Destination: dest, Target: target, State: state})
		// Glue's network interfaces have no public address, so only a
		// NAT-like next hop gives them a path to S3 without an endpoint.
		if dest == "0.0.0.0/0" && nat != "" && state != string(types.RouteStateBlackhole) {
			out.HasNAT = true
		}
	}
	return out
}

func firstOf(ps ...*string) string {
	for _, p := range ps {
		if p != nil && *p != "" {
			return *p
		}
	}
	return ""
}

func (l *Lookup) endpoints(ctx context.Context, vpcID string) Fact[[]Endpoint] {
	src := source("ec2:DescribeVpcEndpoints", vpcID)
	eps, err := call(ctx, l, "ec2:DescribeVpcEndpoints\x00"+vpcID, func(ctx context.Context) ([]Endpoint, error) {
		filter := "vpc-id"
		p := ec2.NewDescribeVpcEndpointsPaginator(l.ec2, &ec2.DescribeVpcEndpointsInput{
			Filters: []types.Filter{{Name: &filter, Values: []string{vpcID}}},
		})
		var all []Endpoint
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, e := range page.VpcEndpoints {
				if !isS3Service(deref(e.ServiceName)) {
					continue
				}
				ep := Endpoint{
					ID:            deref(e.VpcEndpointId),
					Type:          string(e.VpcEndpointType),
					ServiceName:   deref(e.ServiceName),
					State:         string(e.State),
					RouteTableIDs: append([]string(nil), e.RouteTableIds...),
					PrivateDNS:    deref(e.PrivateDnsEnabled),
				}
				policy, ok := endpointPolicy(deref(e.PolicyDocument))
				if !ok {
					return nil, &malformedError{what: "no JSON policy for " + ep.ID}
				}
				ep.Policy = policy
				if e.DnsOptions != nil {
					ep.InboundResolverOnly = deref(e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint)
				}
				sort.Strings(ep.RouteTableIDs)
				all = append(all, ep)
			}
		}
		sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
		return all, nil
	})
	if err != nil {
		return failed[[]Endpoint](err, "ec2:DescribeVpcEndpoints", vpcID, src)
	}
	return found(eps, src)
}

// isS3Service matches com.amazonaws.<region>.s3 and, in China,
// cn.com.amazonaws.<region>.s3 (not s3-outposts, s3express, ...).
func isS3Service(name string) bool {
	rest, ok := strings.CutPrefix(name, "cn.")
	if !ok {
		rest = name
	}
	rest, ok = strings.CutPrefix(rest, "com.amazonaws.")
	if !ok {
		return false
	}
	region, ok := strings.CutSuffix(rest, ".s3")
	return ok && region != "" && !strings.Contains(region, ".")
}

// endpointPolicy returns the policy as JSON and whether it is one. EC2
// returns plain JSON (S3 endpoints always report one, the default full-access
// policy included); a URL-encoded form is decoded for safety.
func endpointPolicy(doc string) (string, bool) {
	if isJSONObject(doc) {
		return doc, true
	}
	if decoded, err := url.PathUnescape(doc); err == nil && isJSONObject(decoded) {
		return decoded, true
	}
	return "", false
}

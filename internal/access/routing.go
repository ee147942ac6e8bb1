package access

import (
	"fmt"
	"strings"
)

// Routing outcomes (docs/model.md#ga004-vpc-endpoint-policy).
const (
	RouteOutsideVPC   = "outside-vpc"
	RouteViaGateway   = "via-gateway"
	RouteViaInterface = "via-interface"
	RouteViaNAT       = "via-nat"
	RouteNoPath       = "no-path"
	RouteGlueProxy    = "glue-proxy"
	RouteUnknown      = "unknown"
)

// route is how one request reaches S3.
type route struct {
	Kind     string
	Endpoint *VPCEndpoint // via-gateway / via-interface
	VPCID    string
	Subnet   string
	// Missing names the fact that makes the route unknown.
	Missing *Missing
}

// through reports whether the request travels through a VPC endpoint.
func (r route) through() bool { return r.Kind == RouteViaGateway || r.Kind == RouteViaInterface }

// placement finds the job's subnet (docs/model.md#ga004-vpc-endpoint-policy) and the route of
// in-Region requests from it.
func placement(f *Facts) route {
	j := &f.Job
	var subnetID string
	for _, c := range j.Connections {
		if !c.Found {
			return route{Kind: RouteUnknown, Missing: &Missing{
				Fact: fmt.Sprintf("Glue connection %q of %s", c.Name, j.Address),
				How:  fmt.Sprintf("add the aws_glue_connection %q to the plan or declare its subnet in .glueaccess.hcl: connection %q { subnet_id = \"subnet-...\" }", c.Name, c.Name),
			}}
		}
		if !c.SubnetID.Known {
			return route{Kind: RouteUnknown, Missing: &Missing{
				Fact: fmt.Sprintf("subnet of Glue connection %q (%s)", c.Name, c.SubnetID.From),
				How:  "reference an aws_subnet in the plan from physical_connection_requirements.subnet_id",
			}}
		}
		if c.SubnetID.V != "" {
			subnetID = c.SubnetID.V
			break
		}
	}
	if subnetID == "" {
		return route{Kind: RouteOutsideVPC}
	}
	unknownNet := func(fact, how string) route {
		return route{Kind: RouteUnknown, Subnet: subnetID, Missing: &Missing{Fact: fact, How: how}}
	}
	n := f.Network
	if n == nil {
		return unknownNet("network of subnet "+subnetID, "add the subnet, its route table and the S3 VPC endpoints to the plan, or declare them in .glueaccess.hcl")
	}
	var sub *Subnet
	for i := range n.Subnets {
		if n.Subnets[i].ID == subnetID {
			sub = &n.Subnets[i]
		}
	}
	if sub == nil || !sub.VPCID.Known {
		return unknownNet("VPC of subnet "+subnetID, "add aws_subnet "+subnetID+" to the plan or declare its vpc_id")
	}
	vpcID := sub.VPCID.V
	if !sub.RouteTableID.Known {
		return unknownNet("route table of subnet "+subnetID, "add the aws_route_table_association of subnet "+subnetID+" to the plan")
	}
	rt := sub.RouteTableID.V
	if rt == "" {
		for _, v := range n.VPCs {
			if v.ID == vpcID && v.MainRouteTableID.Known {
				rt = v.MainRouteTableID.V
			}
		}
		if rt == "" {
			return unknownNet("main route table of VPC "+vpcID, "add aws_vpc "+vpcID+" (or aws_main_route_table_association) to the plan")
		}
	}
	region := knownStr(j.Region)
	var gateway *VPCEndpoint
	for i := range n.Endpoints {
		e := &n.Endpoints[i]
		if e.VPCID != vpcID || !isS3Service(e.ServiceName, region) {
			continue
		}
		if e.Type == EndpointInterface && e.PrivateDNS && !e.InboundResolverOnly {
			return route{Kind: RouteViaInterface, Endpoint: e, VPCID: vpcID, Subnet: subnetID}
		}
		if e.Type == EndpointGateway || e.Type == "" {
			for _, id := range e.RouteTableIDs {
				if id == rt && gateway == nil {
					gateway = e
				}
			}
		}
	}
	if gateway != nil {
		return route{Kind: RouteViaGateway, Endpoint: gateway, VPCID: vpcID, Subnet: subnetID}
	}
	return natOrNoPath(n, rt, vpcID, subnetID)
}

// natOrNoPath decides between via-nat, no-path and unknown for a route table.
func natOrNoPath(n *Network, rt, vpcID, subnetID string) route {
	for _, t := range n.RouteTables {
		if t.ID != rt {
			continue
		}
		switch {
		case !t.HasNAT.Known:
			return route{Kind: RouteUnknown, VPCID: vpcID, Subnet: subnetID, Missing: &Missing{
				Fact: "routes of route table " + rt, How: "add the route table's routes to the plan"}}
		case t.HasNAT.V:
			return route{Kind: RouteViaNAT, VPCID: vpcID, Subnet: subnetID}
		default:
			return route{Kind: RouteNoPath, VPCID: vpcID, Subnet: subnetID}
		}
	}
	return route{Kind: RouteUnknown, VPCID: vpcID, Subnet: subnetID, Missing: &Missing{
		Fact: "route table " + rt, How: "add route table " + rt + " to the plan or declare whether it routes to a NAT"}}
}

// isS3Service reports whether an endpoint service name is S3 in the region
// (any region when region is empty).
func isS3Service(name, region string) bool {
	name = strings.TrimPrefix(name, "cn.")
	if !strings.HasPrefix(name, "com.amazonaws.") || !strings.HasSuffix(name, ".s3") {
		return false
	}
	r := strings.TrimSuffix(strings.TrimPrefix(name, "com.amazonaws."), ".s3")
	return region == "" || r == region
}

// routeFor is the route of one intent: library reads go through the Glue
// proxy unless --disable-proxy-v2, buckets in another Region never use the
// VPC's endpoints (docs/model.md#ga004-vpc-endpoint-policy).
func routeFor(base route, intent string, disableProxy bool, bucketRegion Value[string], jobRegion string) route {
	if intent == OriginLibrary && !disableProxy {
		return route{Kind: RouteGlueProxy}
	}
	if base.through() && bucketRegion.Known && jobRegion != "" && bucketRegion.V != "" && bucketRegion.V != jobRegion {
		// The bucket is served from another Region: the request leaves through
		// NAT if any; either way it carries no endpoint keys.
		return route{Kind: RouteViaNAT, VPCID: base.VPCID, Subnet: base.Subnet}
	}
	return base
}

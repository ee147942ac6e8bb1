package tfconfig

import (
	"fmt"
	"math"
	"math/big"
	"net"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// The IP network functions of the Terraform language (cidrhost, cidrnetmask, cidrsubnet,
// cidrsubnets): addresses are numbers, a prefix is a range of them.

// parseCIDR reads a prefix in CIDR notation, returning its first address as a number,
// its prefix length and its address length in bits.
func parseCIDR(s string) (*big.Int, int, int, error) {
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("invalid CIDR expression: %s", err)
	}
	ones, bits := n.Mask.Size()
	ip := n.IP
	if bits == 32 {
		ip = ip.To4()
	}
	return new(big.Int).SetBytes(ip), ones, bits, nil
}

// ipString formats a number as an address of the given length.
func ipString(n *big.Int, bits int) string {
	b := n.FillBytes(make([]byte, bits/8))
	return net.IP(b).String()
}

func cidrString(n *big.Int, prefix, bits int) string {
	return fmt.Sprintf("%s/%d", ipString(n, bits), prefix)
}

var cidrhostFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "hostnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		base, ones, bits, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		num, err := bigInt(args[1], "hostnum")
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		size := new(big.Int).Lsh(big.NewInt(1), uint(bits-ones))
		orig := new(big.Int).Set(num)
		if num.Sign() < 0 {
			num.Add(num, size)
		}
		if num.Sign() < 0 || num.Cmp(size) >= 0 {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix of %d does not accommodate a host numbered %s", ones, orig)
		}
		return cty.StringVal(ipString(num.Add(num, base), bits)), nil
	},
})

var cidrnetmaskFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		_, ones, bits, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		if bits != 32 {
			return cty.UnknownVal(cty.String), fmt.Errorf("only IPv4 networks are supported")
		}
		return cty.StringVal(net.IP(net.CIDRMask(ones, bits)).String()), nil
	},
})

// cidrsubnetFunc follows the arithmetic Terraform's cidrsubnet uses (go-cidr's Subnet):
// the network number is ORed into the address at the new prefix length, so a negative
// newbits shortens the prefix and a negative netnum is taken in two's complement.
var cidrsubnetFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "prefix", Type: cty.String}, {Name: "newbits", Type: cty.Number}, {Name: "netnum", Type: cty.Number}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		base, ones, bits, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		nb, err := bigInt(args[1], "newbits")
		if err != nil || !nb.IsInt64() {
			return cty.UnknownVal(cty.String), fmt.Errorf("invalid newbits")
		}
		num, err := bigInt(args[2], "netnum")
		if err != nil {
			return cty.UnknownVal(cty.String), err
		}
		newbits := nb.Int64()
		prefix := int64(ones) + newbits
		if prefix > int64(bits) {
			return cty.UnknownVal(cty.String), fmt.Errorf("insufficient address space to extend prefix of %d by %d", ones, newbits)
		}
		maxNum := uint64(math.MaxUint64) // a shift of 64 or more (or a negative one) leaves no bound
		if newbits >= 0 && newbits < 64 {
			maxNum = uint64(1)<<uint64(newbits) - 1
		}
		if new(big.Int).Abs(num).Uint64() > maxNum || (num.Sign() > 0 && !num.IsUint64()) {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", newbits, num)
		}
		if prefix < 0 {
			return cty.UnknownVal(cty.String), fmt.Errorf("insufficient address space to extend prefix of %d by %d", ones, newbits)
		}
		ip := new(big.Int).Or(base, new(big.Int).Lsh(num, uint(int64(bits)-prefix)))
		b := new(big.Int).Abs(ip).Bytes()
		if len(b) > bits/8 {
			return cty.UnknownVal(cty.String), fmt.Errorf("prefix extension of %d does not accommodate a subnet numbered %s", newbits, num)
		}
		out := make([]byte, bits/8)
		copy(out[len(out)-len(b):], b)
		return cty.StringVal(fmt.Sprintf("%s/%d", net.IP(out), prefix)), nil
	},
})

// cidrsubnetsFunc allocates consecutive subnets of the given sizes, each aligned to its
// own size, from the start of the prefix.
var cidrsubnetsFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "prefix", Type: cty.String}},
	VarParam: &function.Parameter{Name: "newbits", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.String)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		base, ones, bits, err := parseCIDR(args[0].AsString())
		if err != nil {
			return cty.UnknownVal(cty.List(cty.String)), function.NewArgError(0, err)
		}
		if len(args) == 1 {
			return cty.ListValEmpty(cty.String), nil
		}
		if base.Sign() == 0 {
			// Terraform finds the first subnet as the one after the subnet before the
			// prefix, which wraps around for a prefix starting at the zero address.
			return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(1, "not enough remaining address space after the zero address")
		}
		end := new(big.Int).Add(base, new(big.Int).Lsh(big.NewInt(1), uint(bits-ones)))
		next := new(big.Int).Set(base)
		out := make([]cty.Value, 0, len(args)-1)
		for i, a := range args[1:] {
			nb, err := bigInt(a, "newbits")
			if err != nil {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgError(i+1, err)
			}
			if nb.Sign() < 1 {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "must extend prefix by at least one bit")
			}
			if !nb.IsInt64() || int64(ones)+nb.Int64() > int64(bits) {
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "would extend prefix to %s bits, which is too long for an IPv%d address", new(big.Int).Add(nb, big.NewInt(int64(ones))), map[int]int{32: 4, 128: 6}[bits])
			}
			prefix := ones + int(nb.Int64())
			size := new(big.Int).Lsh(big.NewInt(1), uint(bits-prefix))
			// Align up to the subnet's own size.
			if r := new(big.Int).Mod(next, size); r.Sign() != 0 {
				next.Add(next, new(big.Int).Sub(size, r))
			}
			if new(big.Int).Add(next, size).Cmp(end) > 0 {
				prev := "the start"
				if len(out) > 0 {
					prev = out[len(out)-1].AsString()
				}
				return cty.UnknownVal(cty.List(cty.String)), function.NewArgErrorf(i+1, "not enough remaining address space for a subnet with a prefix of %d bits after %s", prefix, prev)
			}
			out = append(out, cty.StringVal(cidrString(next, prefix, bits)))
			next = new(big.Int).Add(next, size)
		}
		return cty.ListVal(out), nil
	},
})

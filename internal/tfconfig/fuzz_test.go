package tfconfig

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// FuzzEvaluate: any configuration either fails to load with diagnostics or evaluates every
// attribute without an internal error (a recovered panic).
func FuzzEvaluate(f *testing.F) {
	for _, fixture := range []string{"greenfield", "document", "cycle", "badref", "noaccount"} {
		src, err := os.ReadFile(filepath.Join("testdata", fixture, "main.tf"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add(`resource "aws_s3_bucket" "b" {
  count  = length(var.x)
  bucket = "b-${count.index}"
  dynamic "x" {
    for_each = [1, 2]
    content { y = x.value }
  }
}
variable "x" { default = ["a"] }`)
	f.Add(`locals {
  ctx    = { namespace = "acme", stage = null }
  stage  = lookup(local.ctx, "stage", null)
  name   = coalesce(local.stage, "prod")
  subnet = cidrsubnet("10.0.0.0/16", 8, 2)
  parts  = provider::aws::arn_parse("arn:aws:iam::111122223333:role/a/b")
  role   = provider::aws::trim_iam_role_path("arn:aws:iam::111122223333:role/a/b")
  tpl    = "x-$${v}"
  out    = templatestring(local.tpl, { v = local.name })
  many   = setproduct(range(100), range(100), range(100))
  text   = file("../../etc/passwd")
  yaml   = yamldecode("a: [1, 2]")
  all    = alltrue([startswith(local.out, "x-"), strcontains(local.role, "role/b")])
}
resource "aws_s3_bucket" "b" { bucket = "${local.name}-${sum([1, 2])}-${local.parts.account_id}" }`)
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		// Small limits keep each input fast; the limits themselves are under test too.
		cfg, diags := LoadWith(dir, Limits{MaxElements: 1000, MaxTotalElements: 20000, MaxTotalBytes: 1 << 20, Timeout: 5 * time.Second})
		if diags.HasErrors() {
			return
		}
		ev, err := cfg.Bind(planFor(t, cfg, nil), Options{AccountID: "111122223333", Region: "eu-west-1"})
		if err != nil {
			t.Fatalf("bind of a plan made from the configuration itself: %v", err)
		}
		for _, key := range slices.Sorted(maps.Keys(cfg.Root.Resources)) {
			r := cfg.Root.Resources[key]
			for _, addr := range ev.Instances(strings.TrimSuffix(key, "."+r.Name)) {
				for _, name := range ev.root.attributeNames(r, cfgKey(ev, addr)) {
					if _, err := ev.Attribute(addr, name); err != nil && strings.Contains(err.Error(), "internal error") {
						t.Fatalf("%s.%s: %v", addr, name, err)
					}
				}
			}
		}
	})
}

// cfgKey returns the instance key of an instance address in the root module.
func cfgKey(ev *Evaluator, addr string) (key cty.Value) {
	_, _, key, _, _ = ev.instanceOf(addr)
	return key
}

// FuzzOverride: any primary file and override file either fail to load with diagnostics
// or merge and evaluate without an internal error.
func FuzzOverride(f *testing.F) {
	f.Add(`locals { a = "x" }
resource "aws_s3_bucket" "b" {
  bucket = local.a
  lifecycle { prevent_destroy = true }
  dynamic "x" {
    for_each = [1]
    content { y = x.value }
  }
}`, `locals { a = "y" }
resource "aws_s3_bucket" "b" {
  lifecycle { ignore_changes = [tags] }
  x { y = 2 }
}`)
	f.Add(`provider "aws" {
  alias  = "w"
  region = "eu-west-1"
}
variable "v" { default = 1 }`, `provider "aws" {
  alias  = "w"
  region = "us-east-1"
}
variable "v" { type = string }`)
	f.Fuzz(func(t *testing.T, base, override string) {
		dir := t.TempDir()
		for name, src := range map[string]string{"main.tf": base, "main_override.tf": override} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cfg, diags := LoadWith(dir, Limits{MaxElements: 1000, MaxTotalElements: 20000, MaxTotalBytes: 1 << 20, Timeout: 5 * time.Second})
		if diags.HasErrors() {
			return
		}
		ev, err := cfg.Bind(planFor(t, cfg, nil), Options{AccountID: "111122223333", Region: "eu-west-1"})
		if err != nil {
			t.Fatalf("bind of a plan made from the configuration itself: %v", err)
		}
		for _, name := range slices.Sorted(maps.Keys(cfg.Root.Locals)) {
			expr, _ := hclsyntax.ParseExpression([]byte("local."+name), "fuzz", hcl.InitialPos)
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("local.%s: panic %v", name, p)
					}
				}()
				_, _ = ev.root.eval(expr, repetition{}, nil)
			}()
		}
		for _, key := range slices.Sorted(maps.Keys(cfg.Root.Resources)) {
			r := cfg.Root.Resources[key]
			for _, addr := range ev.Instances(strings.TrimSuffix(key, "."+r.Name)) {
				for _, name := range ev.root.attributeNames(r, cfgKey(ev, addr)) {
					if _, err := ev.Attribute(addr, name); err != nil && strings.Contains(err.Error(), "internal error") {
						t.Fatalf("%s.%s: %v", addr, name, err)
					}
				}
			}
		}
	})
}

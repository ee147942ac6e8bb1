package script

import (
	"fmt"
	"strings"
	"testing"
)

// bigScript is a Glue script of n lines made of realistic blocks: imports,
// argument reads, f-strings, reader and writer calls, GlueContext calls,
// comments and functions.
func bigScript(n int) []byte {
	var b strings.Builder
	b.WriteString("import sys\nfrom awsglue.utils import getResolvedOptions\nargs = getResolvedOptions(sys.argv, ['JOB_NAME', 'run_date'])\n")
	lines := 3
	for i := 0; lines < n; i++ {
		block := fmt.Sprintf(`# step %[1]d: copy one table
src_%[1]d = f"s3://raw-zone/t%[1]d/dt={args['run_date']}/"
df_%[1]d = spark.read.option("header", "true").csv(src_%[1]d)
dyf_%[1]d = glueContext.create_dynamic_frame.from_options(
    connection_type="s3",
    connection_options={"paths": [src_%[1]d, "s3://ref/t%[1]d/"], "recurse": True},
    format="json",
)
def clean_%[1]d(frame, path):
    """Write frame to path."""
    return frame.write.mode("overwrite").parquet(path)
df_%[1]d.write.mode("append").partitionBy("dt").parquet("s3://curated/t%[1]d/")
print(f"done {src_%[1]d}")
`, i)
		b.WriteString(block)
		lines += strings.Count(block, "\n")
	}
	return []byte(b.String())
}

// BenchmarkRead10kLines reads a 10,000-line script (docs/performance.md).
func BenchmarkRead10kLines(b *testing.B) {
	src := bigScript(10000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(src, Python, Options{Args: goldenArgs}); err != nil {
			b.Fatal(err)
		}
	}
}

package directory_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/importer"
	"github.com/heedhq/heed/internal/testdb"
)

// BenchmarkImportCustomers100k imports a 100,000-row customer CSV into a
// fresh SQLite file through the whole pipeline (parse, check, write in one
// transaction) — the path `heed import customers FILE` takes.
func BenchmarkImportCustomers100k(b *testing.B) {
	const n = 100_000
	var buf bytes.Buffer
	buf.WriteString("external_id,name,email,phone,language,segment,value,owner,unit,attributes,consent\n")
	for i := range n {
		fmt.Fprintf(&buf, "c%06d,Customer %d,c%d@example.com,+31 6 %08d,en,consumer,%d.50,,store-%d,\"{\"\"tier\"\":\"\"gold\"\"}\",yes\n",
			i, i, i, i, i%5000, i%40)
	}
	data := buf.Bytes()
	for b.Loop() {
		b.StopTimer()
		s := testdb.SQLite(b)
		d := directory.New(s, clock)
		units := []heed.Unit{{Key: "acme", Name: "Acme"}}
		for i := range 40 {
			units = append(units, heed.Unit{Key: fmt.Sprintf("store-%d", i), Name: fmt.Sprintf("Store %d", i), Parent: "acme"})
		}
		if _, err := d.UpsertUnits(context.Background(), heed.System(), units); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := d.Import(context.Background(), heed.System(), directory.ImportRequest{
			Kind: directory.ImportCustomers, File: "bench.csv", Format: importer.CSV, Body: bytes.NewReader(data),
		})
		if err != nil || rep.Result.Created != n {
			b.Fatalf("import: %+v, %v", rep.Result, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
}

package importer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/heedhq/heed"
)

// problems prints row errors the way a user sees them.
func problems(errs heed.RowErrors) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.String())
	}
	return out
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// lines lists the lines of the good rows (those that may be written).
func lines[T any](rows []Row[T]) []int {
	var out []int
	for _, r := range rows {
		if !r.Bad {
			out = append(out, r.Line)
		}
	}
	return out
}

func TestCustomersCSV(t *testing.T) {
	in := "External_ID , Name,email,phone,language,segment,value,owner,unit,attributes,consent\n" +
		` c-1 , Ann Smith ,ann@example.com,+31 6 1234,nl,vip, 48000.50 , Piet@Acme.Example ,store-1,"{ ""tier"": ""gold"" }",yes` + "\n" +
		"c-2,Bob,,,,,,,store-2,,\n"
	rows, errs, err := Customers(strings.NewReader(in), Options{File: "c.csv"})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(rows))
	}
	c := rows[0].Item
	want := heed.Customer{ExternalID: "c-1", Name: "Ann Smith", Email: "ann@example.com", Phone: "+31 6 1234",
		Language: "nl", Segment: "vip", Value: 480005000, Owner: "piet@acme.example", Unit: "store-1",
		Attributes: []byte(`{"tier":"gold"}`), Consent: true}
	if fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if b := rows[1].Item; b.Consent || b.Value != 0 || b.Attributes != nil || b.Owner != "" {
		t.Errorf("empty cells should give zero values, got %+v", b)
	}
	if got := lines(rows); fmt.Sprint(got) != "[2 3]" {
		t.Errorf("lines %v, want [2 3]", got)
	}
}

func TestUnitsAndEmployees(t *testing.T) {
	units, errs, err := Units(strings.NewReader("key,name,parent,responsible\nnorth,North,acme, Eva@Acme.Example \n"), Options{File: "u.csv"})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	if u := units[0].Item; u.Key != "north" || u.Parent != "acme" || u.Responsible != "eva@acme.example" {
		t.Errorf("unit %+v", u)
	}
	emps, errs, err := Employees(strings.NewReader(`{"email":"Eva@Acme.Example","name":"Eva","role":"Manager","unit":"north"}`), Options{File: "e.jsonl", Format: JSONL})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	if e := emps[0].Item; e.Email != "eva@acme.example" || e.Role != heed.RoleManager || e.Unit != "north" {
		t.Errorf("employee %+v", e)
	}
}

// TestProblems shows, for each kind of problem, exactly what the user reads.
func TestProblems(t *testing.T) {
	const head = "external_id,name,value,consent,attributes\n"
	tests := []struct {
		name   string
		format Format
		in     string
		want   []string
		rows   int // good rows still returned
	}{
		{"unknown column", CSV, "external_id,name,colour\nc1,Ann,red\n",
			[]string{"f:1: colour: unknown column; want external_id, name, email, phone, language, segment, value, owner, unit, attributes, consent or attributes.KEY"}, 1},
		{"unnamed column", CSV, "external_id,,name\nc1,,Ann\n",
			[]string{"f:1: column 2 has no name"}, 1},
		{"attribute column without key", CSV, "external_id,attr.\nc1,x\n",
			[]string{"f:1: attr.: want a key after the dot, as in attributes.tier"}, 1},
		{"too few fields", CSV, head + "c1,Ann\nc2,Bob,1,yes,\n",
			[]string{"f:2: has 2 fields but the header has 5"}, 1},
		{"too many fields", CSV, head + "c1,Ann,1,yes,,extra\n",
			[]string{"f:2: has 6 fields but the header has 5"}, 0},
		{"bad decimal", CSV, head + "c1,Ann,12.345678,,\nc2,Bob,1e6,,\nc3,Cy,\"48,000\",,\n",
			[]string{`f:2: value: "12.345678" has more than 4 decimal places`, `f:3: value: "1e6" is not a decimal number`, `f:4: value: "48,000" is not a decimal number`}, 0},
		{"bad consent", CSV, head + "c1,Ann,,maybe,\n",
			[]string{"f:2: consent: want true or false"}, 0},
		{"attributes not an object", CSV, head + "c1,Ann,,,[1]\n",
			[]string{"f:2: attributes: want a JSON object"}, 0},
		{"attributes not JSON", CSV, head + "c1,Ann,,,{tier: gold}\n",
			[]string{"f:2: attributes: not valid JSON: invalid character 't' looking for beginning of object key string"}, 0},
		{"attribute given twice", CSV, "external_id,attributes,attributes.tier\nc1,\"{\"\"tier\"\":\"\"gold\"\"}\",silver\n",
			[]string{"f:2: attributes.tier: also set in the attributes column"}, 0},
		{"every problem of a row", CSV, head + "c1,Ann,x,maybe,[]\n",
			[]string{`f:2: value: "x" is not a decimal number`, "f:2: consent: want true or false", "f:2: attributes: want a JSON object"}, 0},
		{"bare quote", CSV, head + "c1,An\"n,,,\nc2,Bob,,,\n",
			[]string{`f:2: a " in a field without quotes around it; quote the field and double the " (column 6)`}, 1},
		{"quote left open", CSV, head + "c1,\"Ann,,,\nc2,Bob,,,\n",
			[]string{`f:2: a quoted field is not closed, or holds a " that is not doubled (line 3, column 11)`}, 0},
		{"invalid UTF-8", CSV, head + "c1,Ren\xe9,,,\n",
			[]string{"f:2: name: not valid UTF-8 (save the file as UTF-8)"}, 0},
		{"NUL character", CSV, head + "c1,A\x00nn,,,\n",
			[]string{"f:2: name: contains a NUL character"}, 0},

		{"json unknown key", JSONL, `{"external_id":"c1","nmae":"Ann"}`,
			[]string{"f:1: nmae: unknown field; want external_id, name, email, phone, language, segment, value, owner, unit, attributes, consent"}, 0},
		{"json number for a string", JSONL, `{"external_id":12345}`,
			[]string{"f:1: external_id: want a string, not a number (put it in quotes)"}, 0},
		{"json wrong types", JSONL, `{"name":["Ann"],"value":true,"consent":"maybe","attributes":"gold"}`,
			[]string{"f:1: name: want a string", "f:1: value: want a number", "f:1: consent: want true or false", "f:1: attributes: want a JSON object"}, 0},
		{"json bad number", JSONL, `{"value":1.23456}`,
			[]string{`f:1: value: "1.23456" has more than 4 decimal places`}, 0},
		{"json key twice", JSONL, `{"name":"Ann","Name":"Bob"}`,
			[]string{"f:1: Name: given twice"}, 0},
		{"json not an object", JSONL, "[1,2]\n\n\"x\"\n{\"name\":\"ok\"}",
			[]string{"f:1: want a JSON object", "f:3: want a JSON object"}, 1},
		{"json not closed", JSONL, "{\"name\":\"Ann\",\n\"value\":1}",
			[]string{"f:1: the object is not closed (each object must be on one line)", "f:2: want a JSON object"}, 0},
		{"json text after", JSONL, `{"name":"Ann"} x`,
			[]string{"f:1: unexpected text after the object"}, 0},
		{"json invalid", JSONL, `{"name":"Ann" "value":1}`,
			[]string{"f:1: not valid JSON: invalid character '\"' after object key:value pair"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs, err := Customers(strings.NewReader(tt.in), Options{File: "f", Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			sameLines(t, problems(errs), tt.want)
			if good := len(lines(rows)); good != tt.rows {
				t.Errorf("got %d good rows, want %d", good, tt.rows)
			}
		})
	}
}

// TestUnusableFiles are the files no row of which can be trusted.
func TestUnusableFiles(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		in     string
		code   heed.Code
		want   string
	}{
		{"empty", CSV, "", heed.EInvalid, "f: the file is empty"},
		{"only a BOM and blank lines", CSV, "\xEF\xBB\xBF\n  \n", heed.EInvalid, "f: the file is empty"},
		{"empty JSONL", JSONL, "\n\n", heed.EInvalid, "f: the file is empty"},
		{"duplicate column", CSV, "key,name,Key\n", heed.EInvalid, `f:1: column "Key" appears twice`},
		{"no header", CSV, "north,North,acme\n", heed.EInvalid, "f:1: no header row; want columns named key, name, parent, responsible"},
		{"broken header", CSV, "key,\"name\n", heed.EInvalid, `f:1: cannot read the header row: a quoted field is not closed, or holds a " that is not doubled (column 11)`},
		{"unknown format", "xml", "<units/>", heed.EInvalid, `f: unknown format "xml"; want csv or jsonl`},
		{"row over 1 MiB", CSV, "key,name\na,b\nc,\"" + strings.Repeat("x", 2<<20) + "\"\n", heed.ETooLarge, "f:3: row is longer than 1 MiB (is a quote left open?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Units(strings.NewReader(tt.in), Options{File: "f", Format: tt.format})
			if heed.ErrorCode(err) != tt.code || heed.ErrorMessage(err) != tt.want {
				t.Errorf("got %v (%s), want %s: %s", err, heed.ErrorCode(err), tt.code, tt.want)
			}
		})
	}
}

func TestDuplicateAttributeColumn(t *testing.T) {
	_, _, err := Customers(strings.NewReader("external_id,attributes.tier,Attr.tier\n"), Options{File: "f"})
	if heed.ErrorMessage(err) != `f:1: column "Attr.tier" appears twice` {
		t.Errorf("got %v", err)
	}
}

func TestTooManyRows(t *testing.T) {
	in := "key\n" + strings.Repeat("k\n", 4)
	_, _, err := Units(strings.NewReader(in), Options{File: "f", MaxRows: 3})
	if heed.ErrorCode(err) != heed.ETooLarge || heed.ErrorMessage(err) != "f: more than 3 rows; split the file" {
		t.Errorf("got %v", err)
	}
	if got := thousands(maxRows); got != "5,000,000" {
		t.Errorf("thousands(maxRows) = %s", got)
	}
}

// TestMultiLineQuotes checks that rows and problems name the line a record
// starts on even after quoted fields that span lines.
func TestMultiLineQuotes(t *testing.T) {
	in := "key,name\r\n" +
		"a,\"first\r\nsecond\r\nthird\"\r\n" + // lines 2-4
		"\r\n" + // line 5, blank
		"b,\"one, two\"\r\n" + // line 6
		"c,\"x\ny\",extra\r\n" + // lines 7-8, a problem
		"d,plain\r\n" // line 9
	rows, errs, err := Units(strings.NewReader(in), Options{File: "u.csv"})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, problems(errs), []string{"u.csv:7: has 3 fields but the header has 2"})
	if got := fmt.Sprint(lines(rows)); got != "[2 6 9]" {
		t.Errorf("lines %s, want [2 6 9]", got)
	}
	if rows[0].Item.Name != "first\nsecond\nthird" || rows[1].Item.Name != "one, two" {
		t.Errorf("names %q, %q", rows[0].Item.Name, rows[1].Item.Name)
	}
}

// TestLongRowNamesItsLine: the line of a row too long to read is counted
// past quoted newlines and past the empty lines csv.Reader skips unseen.
func TestLongRowNamesItsLine(t *testing.T) {
	long := "c," + strings.Repeat("y", 2<<20) + "\n"
	for _, tt := range []struct {
		in   string
		line int
	}{
		{"key,name\n\"a\nb\",x\n\n" + long, 5},
		{"key,name\r\na,b\r\n\r\n\r\n" + long, 5},
		{"key,name\n" + strings.Repeat("\n", 3000) + long, 3002}, // more empty lines than one look ahead holds
		{"\n \n\r\nkey," + strings.Repeat("k", 2<<20), 4},
	} {
		_, _, err := Units(strings.NewReader(tt.in), Options{File: "f"})
		want := fmt.Sprintf("f:%d: row is longer than 1 MiB (is a quote left open?)", tt.line)
		if heed.ErrorMessage(err) != want {
			t.Errorf("%.30q…: got %v, want %s", tt.in, err, want)
		}
	}
}

func TestBOM(t *testing.T) {
	for _, f := range []Format{CSV, JSONL} {
		in := "\xEF\xBB\xBFkey,name\nnorth,North\n"
		if f == JSONL {
			in = "\xEF\xBB\xBF{\"key\":\"north\",\"name\":\"North\"}\n"
		}
		rows, errs, err := Units(strings.NewReader(in), Options{File: "f", Format: f})
		if err != nil || len(errs) > 0 || len(rows) != 1 || rows[0].Item.Key != "north" {
			t.Errorf("%s: rows %+v, problems %v, err %v", f, rows, problems(errs), err)
		}
	}
}

func TestDelimiters(t *testing.T) {
	for _, in := range []string{"key;name\nnorth;\"North, of course\"\n", "key\tname\nnorth\tNorth, of course\n"} {
		rows, errs, err := Units(strings.NewReader(in), Options{File: "f"})
		if err != nil || len(errs) > 0 || len(rows) != 1 || rows[0].Item.Name != "North, of course" {
			t.Errorf("%q: rows %+v, problems %v, err %v", in, rows, problems(errs), err)
		}
	}
}

func TestAttributeColumns(t *testing.T) {
	in := "external_id,Attributes.tier,attr.since,attributes\n" +
		`c1,gold,2021-04,"{""b"": [1, 2]}"` + "\n" +
		"c2,,,\n" +
		"c3,silver,,\n" +
		`c4,"say ""hi""",,{}` + "\n"
	rows, errs, err := Customers(strings.NewReader(in), Options{File: "f"})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	want := []string{`{"b":[1,2],"since":"2021-04","tier":"gold"}`, ``, `{"tier":"silver"}`, `{"tier":"say \"hi\""}`}
	for i, r := range rows {
		if string(r.Item.Attributes) != want[i] {
			t.Errorf("%s: attributes %s, want %s", r.Item.ExternalID, r.Item.Attributes, want[i])
		}
	}
	// Units have no attributes, so the column is simply unknown.
	_, errs, _ = Units(strings.NewReader("key,attributes.x\nk,1\n"), Options{File: "f"})
	sameLines(t, problems(errs), []string{"f:1: attributes.x: unknown column; want key, name, parent, responsible"})
}

func TestConsentSpellings(t *testing.T) {
	in := "external_id,consent\n"
	want := ""
	for s, v := range map[string]bool{"true": true, "YES": true, "y": true, "1": true, "false": false, "No": false, "n": false, "0": false, "": false} {
		in += "c," + s + "\n"
		want += fmt.Sprint(v)
	}
	rows, errs, err := Customers(strings.NewReader(in), Options{File: "f"})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	got := ""
	for _, r := range rows {
		got += fmt.Sprint(r.Item.Consent)
	}
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestCustomersJSONL(t *testing.T) {
	in := "\n" +
		`{"external_id":"c1","name":"Ann","value":48000.5,"consent":true,"attributes":{ "tier" : "gold" },"owner":"Piet@X.example"}` + "\n" +
		"   \r\n" +
		`{"EXTERNAL_ID":"c2","value":"12","consent":"no","attributes":null,"phone":null}` + "\r\n" +
		`{"external_id":"c3","consent":1}`
	rows, errs, err := Customers(strings.NewReader(in), Options{File: "f", Format: JSONL})
	if err != nil || len(errs) > 0 {
		t.Fatalf("err %v, problems %v", err, problems(errs))
	}
	if got := fmt.Sprint(lines(rows)); got != "[2 4 5]" {
		t.Errorf("lines %s, want [2 4 5]", got)
	}
	a, b, c := rows[0].Item, rows[1].Item, rows[2].Item
	if a.Value.String() != "48000.5" || !a.Consent || string(a.Attributes) != `{"tier":"gold"}` || a.Owner != "piet@x.example" {
		t.Errorf("first %+v", a)
	}
	if b.ExternalID != "c2" || b.Value.String() != "12" || b.Consent || b.Attributes != nil {
		t.Errorf("second %+v", b)
	}
	if !c.Consent {
		t.Errorf("third %+v", c)
	}
}

func TestJSONLLongLineIsSkipped(t *testing.T) {
	in := `{"key":"a"}` + "\n" + `{"key":"` + strings.Repeat("x", 2<<20) + `"}` + "\n" + `{"key":"c"}` + "\n"
	rows, errs, err := Units(strings.NewReader(in), Options{File: "f", Format: JSONL})
	if err != nil {
		t.Fatal(err)
	}
	sameLines(t, problems(errs), []string{"f:2: line is longer than 1 MiB"})
	if got := fmt.Sprint(lines(rows)); got != "[1 3]" {
		t.Errorf("lines %s, want [1 3]", got)
	}
}

func TestProgress(t *testing.T) {
	var b strings.Builder
	b.WriteString("key\n")
	for i := range 25_000 {
		fmt.Fprintf(&b, "k%d\n", i)
	}
	var calls []int
	rows, _, err := Units(strings.NewReader(b.String()), Options{File: "f", Progress: func(n int) { calls = append(calls, n) }})
	if err != nil || len(rows) != 25_000 {
		t.Fatalf("%d rows, err %v", len(rows), err)
	}
	if got := fmt.Sprint(calls); got != "[10000 20000 25000]" {
		t.Errorf("progress %s", got)
	}
}

func TestFormatFor(t *testing.T) {
	tests := []struct {
		name, head string
		want       Format
	}{
		{"units.csv", "{", CSV},
		{"UNITS.JSONL", "", JSONL},
		{"x.ndjson", "", JSONL},
		{"x.json", "", JSONL},
		{"-", "\xEF\xBB\xBF \n {\"key\":1}", JSONL},
		{"-", "key,name", CSV},
		{"upload", "", CSV},
	}
	for _, tt := range tests {
		if got := FormatFor(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("FormatFor(%q, %q) = %s, want %s", tt.name, tt.head, got, tt.want)
		}
	}
}

func FuzzCustomersCSV(f *testing.F) {
	f.Add("external_id,name,value,consent,attributes,attr.tier\nc1,Ann,1.5,yes,\"{\"\"a\"\":1}\",gold\n")
	f.Add("external_id;name\n\"c\n1\";\"x\"\"y\"\n")
	f.Add("\xEF\xBB\xBFname,,attributes.\n\"unclosed\n")
	f.Add("external_id,attributes,attr.a\nc,{\"a\":1},b\n,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, errs, err := Customers(strings.NewReader(in), Options{File: "f"})
		if err != nil && (rows != nil || heed.ErrorCode(err) == heed.EInternal) {
			t.Fatalf("error %v with %d rows", err, len(rows))
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Errorf("row on line %d", r.Line)
			}
			if a := r.Item.Attributes; a != nil && a[0] != '{' {
				t.Errorf("attributes %s", a)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.File != "f" {
				t.Errorf("problem %s", e.String())
			}
		}
	})
}

func BenchmarkCustomersCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("external_id,name,email,phone,language,segment,value,owner,unit,attributes,consent\n")
	const n = 100_000
	for i := range n {
		fmt.Fprintf(&sb, "c-%06d,Customer %d,customer%d@example.com,+31 6 %08d,nl,consumer,%d.25,am%d@acme.example,store-%d,\"{\"\"tier\"\":\"\"gold\"\"}\",yes\n",
			i, i, i, i, i%100000, i%80, i%40)
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		rows, errs, err := Customers(strings.NewReader(in), Options{File: "bench.csv"})
		if err != nil || len(errs) > 0 || len(rows) != n {
			b.Fatalf("%d rows, %d problems, err %v", len(rows), len(errs), err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

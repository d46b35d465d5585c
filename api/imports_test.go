package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heedhq/heed/directory"
)

func TestImport(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		post := func(query, contentType, body string) answer {
			return e.send(t, e.tokens["admin"], "POST", "/api/v1/imports/customers"+query, contentType, strings.NewReader(body))
		}
		var rep directory.ImportReport

		// CSV, then the same file again: nothing changes the second time.
		csv := "external_id,name,unit,value\nimp-1,One,a1,10.5\nimp-2,Two,b2,\n"
		post("", "text/csv", csv).must(t, http.StatusOK).decode(t, &rep)
		if rep.Rows != 2 || rep.Result.Created != 2 {
			t.Errorf("first import %+v", rep)
		}
		post("", "text/csv", csv).must(t, http.StatusOK).decode(t, &rep)
		if rep.Result.Unchanged != 2 {
			t.Errorf("second import %+v, want 2 unchanged", rep)
		}

		// JSONL, told by the content type or recognised by its first byte.
		jsonl := `{"external_id": "imp-3", "unit": "a2", "consent": true}` + "\n"
		post("", "application/x-ndjson", jsonl).must(t, http.StatusOK).decode(t, &rep)
		if rep.Result.Created != 1 {
			t.Errorf("JSONL import %+v", rep)
		}
		post("", "application/octet-stream", `{"external_id": "imp-4", "unit": "a2"}`).must(t, http.StatusOK)

		// One bad row: rejected whole, every problem by line and field.
		bad := "external_id,name,unit\nimp-5,Five,a1\nimp-6,Six,nope\n"
		got := post("", "text/csv", bad).must(t, 422).apiError(t).Error
		if len(got.Details) != 1 || got.Details[0].Line != 3 || got.Details[0].Field != "unit" {
			t.Errorf("details %+v, want line 3 field unit", got.Details)
		}
		if a := e.call(t, "admin", "GET", "/api/v1/customers/imp-5", nil); a.status != 404 {
			t.Errorf("imp-5 written by a rejected file: %d", a.status)
		}

		// skip_invalid writes the rest and reports the bad rows.
		post("?skip_invalid=true", "text/csv", bad).must(t, http.StatusOK).decode(t, &rep)
		if rep.Result.Created != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
			t.Errorf("skip_invalid report %+v", rep)
		}
		e.call(t, "admin", "GET", "/api/v1/customers/imp-5", nil).must(t, http.StatusOK)

		// Units and employees import the same way; other kinds do not.
		units := "key,name,parent\nb3,Store B3,rb\n"
		e.send(t, e.tokens["admin"], "POST", "/api/v1/imports/units", "text/csv", strings.NewReader(units)).must(t, http.StatusOK)
		emps := "email,role,unit\nnew.b3@heed.test,frontline,b3\n"
		e.send(t, e.tokens["admin"], "POST", "/api/v1/imports/employees", "text/csv", strings.NewReader(emps)).must(t, http.StatusOK)
		e.call(t, "admin", "GET", "/api/v1/employees/new.b3@heed.test", nil).must(t, http.StatusOK)
		got = e.send(t, e.tokens["admin"], "POST", "/api/v1/imports/surveys", "text/csv", strings.NewReader(units)).must(t, 422).apiError(t).Error
		if got.Field != "kind" {
			t.Errorf("unknown kind: field %q", got.Field)
		}
	})
}

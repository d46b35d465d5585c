package survey

import (
	"fmt"
	"io"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/importer"
)

// MaxImportRows bounds a responses file: one transaction holds it all.
const MaxImportRows = 200_000

// ParseResponses reads a responses file: CSV with a header row (columns
// survey, customer, unit, score, comment, answers (a JSON object),
// language, external_id, answered_at (RFC 3339 or YYYY-MM-DD), and
// hidden.NAME for each hidden field) or JSONL (one ResponseInput object
// per line). Reading is package importer's; a file with any problem is
// refused whole, every problem listed by line and field.
func ParseResponses(file string, r io.Reader, jsonl bool) ([]ResponseInput, error) {
	o := importer.Options{File: file, Format: importer.CSV, MaxRows: MaxImportRows}
	if jsonl {
		o.Format = importer.JSONL
	}
	rows, errs, err := importer.Responses(r, o)
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, &heed.Error{Code: heed.EInvalid, Message: fmt.Sprintf("%s: %d problems; nothing was written", file, len(errs)), Err: errs}
	}
	if len(rows) == 0 {
		return nil, heed.Errorf(heed.EInvalid, "%s holds no responses", file)
	}
	out := make([]ResponseInput, len(rows))
	for i, row := range rows {
		x := row.Item
		out[i] = ResponseInput{
			Survey: x.Survey, Customer: x.Customer, Unit: x.Unit, Score: x.Score, Comment: x.Comment,
			Answers: x.Answers, Hidden: x.Hidden, Language: x.Language, ExternalID: x.ExternalID,
			AnsweredAt: x.AnsweredAt, Line: row.Line,
		}
	}
	return out, nil
}

package api

import (
	"bytes"
	"context"
	"mime"

	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/importer"
)

type importInput struct {
	Kind        string `path:"kind" enum:"units,employees,customers" doc:"What the file holds"`
	SkipInvalid bool   `query:"skip_invalid" doc:"Write the valid rows and list the rest in the answer, instead of rejecting the file"`
	ContentType string `header:"Content-Type" hidden:"true"`
	RawBody     []byte `contentType:"text/csv"`
}

type importOutput struct {
	Body directory.ImportReport
}

func (s *server) importFile(ctx context.Context, in *importInput) (*importOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := s.cfg.Directory.Import(ctx, p, directory.ImportRequest{
		Kind:        directory.ImportKind(in.Kind),
		File:        "request",
		Format:      formatOf(in.ContentType, in.RawBody),
		Body:        bytes.NewReader(in.RawBody),
		SkipInvalid: in.SkipInvalid,
	})
	if err != nil {
		return nil, err
	}
	return &importOutput{Body: rep}, nil
}

// formatOf reads the format from the Content-Type, or from the body
// itself when the type says nothing useful (curl --data-binary sends
// application/x-www-form-urlencoded).
func formatOf(contentType string, body []byte) importer.Format {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/csv":
		return importer.CSV
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json-seq":
		return importer.JSONL
	}
	return importer.FormatFor("", body[:min(len(body), 512)])
}

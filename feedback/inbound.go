package feedback

import (
	"bytes"
	"cmp"
	"context"
	"crypto/subtle"
	"errors"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/textan"
	"github.com/heedhq/heed/webhooks"
)

// This file is the third way feedback comes in, beside the API and
// imports: inbound sources, URLs other systems post their own JSON to
// when something happens, each with a mapping from the document to our
// fields (see inboundmap.go) and a secret the callers authenticate with.
// Admins manage the sources; the callers are not users of Heed.

// MaxInboundBody is the largest document an inbound source takes.
const MaxInboundBody = 1 << 20

// SignatureTolerance is how far a Standard Webhooks signature's
// timestamp may be from now: older signed calls are refused as replays.
const SignatureTolerance = 5 * time.Minute

// sourceKey is what a source key may be: it ends the source's URL.
var sourceKey = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

func requireAdmin(p heed.Principal, what string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may %s", what)
	}
	return nil
}

// CreateSource adds an inbound source and returns it with its secret,
// the only time the secret is shown besides a rotation.
func (s *Service) CreateSource(ctx context.Context, p heed.Principal, src heed.InboundSource) (heed.InboundSource, error) {
	if err := requireAdmin(p, "add inbound sources"); err != nil {
		return heed.InboundSource{}, err
	}
	if err := normalizeSource(&src); err != nil {
		return heed.InboundSource{}, err
	}
	src.Secret = webhooks.NewSecret()
	return s.store.CreateInboundSource(ctx, src, s.cfg.Now())
}

// UpdateSource rewrites a source's name, kind, system, mapping, fixed
// values, items path and switch. Its secret stays unless rotate is set:
// then it gets a new one, returned this once, and the old one stops
// working at once.
func (s *Service) UpdateSource(ctx context.Context, p heed.Principal, src heed.InboundSource, rotate bool) (heed.InboundSource, error) {
	if err := requireAdmin(p, "change inbound sources"); err != nil {
		return heed.InboundSource{}, err
	}
	if err := normalizeSource(&src); err != nil {
		return heed.InboundSource{}, err
	}
	now := s.cfg.Now()
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		var err error
		if src, err = q.UpdateInboundSource(ctx, src, now); err != nil || !rotate {
			return err
		}
		src, err = q.SetInboundSecret(ctx, src.Key, webhooks.NewSecret(), now)
		return err
	})
	if err != nil {
		return heed.InboundSource{}, err
	}
	if !rotate {
		src.Secret = ""
	}
	return src, nil
}

// DeleteSource removes a source: calls to its URL are refused from now
// on. The items it brought in stay.
func (s *Service) DeleteSource(ctx context.Context, p heed.Principal, key string) error {
	if err := requireAdmin(p, "delete inbound sources"); err != nil {
		return err
	}
	return s.store.DeleteInboundSource(ctx, key)
}

// GetSource returns a source without its secret.
func (s *Service) GetSource(ctx context.Context, p heed.Principal, key string) (heed.InboundSource, error) {
	if err := requireAdmin(p, "read inbound sources"); err != nil {
		return heed.InboundSource{}, err
	}
	src, err := s.store.GetInboundSource(ctx, key)
	src.Secret = ""
	return src, err
}

// ListSources returns every source, by key, without secrets.
func (s *Service) ListSources(ctx context.Context, p heed.Principal) ([]heed.InboundSource, error) {
	if err := requireAdmin(p, "read inbound sources"); err != nil {
		return nil, err
	}
	list, err := s.store.ListInboundSources(ctx)
	for i := range list {
		list[i].Secret = ""
	}
	return list, err
}

// normalizeSource fills the defaults of src and refuses a source that
// could never make an item: a bad key or kind, a field that is not
// ours, a path that does not parse, a fixed value that does not read.
func normalizeSource(src *heed.InboundSource) error {
	src.Key, src.Name, src.System = strings.TrimSpace(src.Key), strings.TrimSpace(src.Name), strings.TrimSpace(src.System)
	src.Kind, src.Items = heed.FeedbackKind(strings.ToLower(strings.TrimSpace(string(src.Kind)))), strings.TrimSpace(src.Items)
	switch {
	case !sourceKey.MatchString(src.Key):
		return heed.FieldErrorf(heed.EInvalid, "key", "key %q: use a-z, 0-9, _ and - (at most 64, starting with a letter or digit)", src.Key)
	case !src.Kind.Valid() || src.Kind == heed.FeedbackSurvey:
		return heed.FieldErrorf(heed.EInvalid, "kind", "kind %q must be one of review, ticket, transcript, social, complaint, interview or note", src.Kind)
	}
	src.Name, src.System = cmp.Or(src.Name, src.Key), cmp.Or(src.System, src.Key)
	if src.System == SurveySource {
		return heed.FieldErrorf(heed.EInvalid, "system", "system %q is Heed's own survey comments", SurveySource)
	}
	var err error
	if src.Mapping, err = cleanFields("mapping", src.Mapping); err != nil {
		return err
	}
	if src.Fixed, err = cleanFields("fixed", src.Fixed); err != nil {
		return err
	}
	if err := checkFields(src); err != nil {
		return err
	}
	m, err := newInboundMap(*src)
	if err != nil {
		return err
	}
	return checkFixed(m)
}

// cleanFields trims and lower-cases the field names of m and checks that
// each is one of InboundFields.
func cleanFields(what string, m map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		field := strings.ToLower(strings.TrimSpace(k))
		if !slices.Contains(InboundFields(), field) {
			return nil, heed.FieldErrorf(heed.EInvalid, what, "%s: %q is not a field; want one of %s",
				what, k, strings.Join(InboundFields(), ", "))
		}
		if _, twice := out[field]; twice {
			return nil, heed.FieldErrorf(heed.EInvalid, what, "%s: %s is given twice", what, field)
		}
		out[field] = strings.TrimSpace(m[k])
	}
	return out, nil
}

// checkFields refuses a mapping that could make no item, or that says
// two things of one field.
func checkFields(src *heed.InboundSource) error {
	for _, field := range slices.Sorted(maps.Keys(src.Fixed)) {
		if _, ok := src.Mapping[field]; ok {
			return heed.FieldErrorf(heed.EInvalid, "fixed."+field, "%s is both mapped and fixed: which is it?", field)
		}
	}
	if _, ok := src.Fixed["kind"]; ok {
		return heed.FieldErrorf(heed.EInvalid, "fixed.kind", "a fixed kind is the source's kind: set that instead")
	}
	if src.Mapping["external_id"] == "" {
		return heed.FieldErrorf(heed.EInvalid, "mapping.external_id",
			"map external_id to the item's id in the document: sent again, the item is updated, never duplicated")
	}
	if src.Mapping["text"] == "" && src.Mapping["turns"] == "" {
		return heed.FieldErrorf(heed.EInvalid, "mapping.text", "map text (or, for transcripts, turns) to what the customer said")
	}
	return nil
}

// checkFixed reads the fixed values as a document's would be read, so a
// rating of 7 is refused now rather than on every call.
func checkFixed(m *inboundMap) error {
	if len(m.src.Fixed) == 0 {
		return nil
	}
	fixedOnly := *m
	fixedOnly.paths = nil
	line, _ := fixedOnly.line(nil, "")
	_, err := File{Name: m.src.Key, JSONL: true, Kind: m.src.Kind, Source: m.src.System}.Parse(bytes.NewReader(line))
	var errs heed.RowErrors
	if errors.As(err, &errs) && len(errs) > 0 {
		return heed.FieldErrorf(heed.EInvalid, "fixed."+errs[0].Field, "fixed %s: %s", errs[0].Field, errs[0].Problem)
	}
	return err
}

// Receive takes a document another system posted to a source's URL:
// the caller must hold the source's secret (see proven), else
// EUnauthorized, the same answer for an unknown or inactive source, so
// nobody without a secret learns which sources exist. The document is
// mapped to items (EInvalid naming each field and path the mapping
// cannot read) and recorded as Record records them — read, matched to
// customers, through the rules — as the system. Sent again, an item is
// updated, never duplicated.
func (s *Service) Receive(ctx context.Context, key string, h http.Header, body []byte) ([]Recorded, error) {
	if len(body) > MaxInboundBody {
		return nil, heed.Errorf(heed.ETooLarge, "a document may be at most %d bytes", MaxInboundBody)
	}
	if _, bearer := bearerToken(h.Get("Authorization")); !bearer && h.Get("webhook-signature") == "" {
		return nil, heed.Errorf(heed.EUnauthorized,
			"an inbound call needs its source's secret: Authorization: Bearer <secret>, or a Standard Webhooks signature")
	}
	src, err := s.store.GetInboundSource(ctx, key)
	if err != nil && !heed.IsNotFound(err) {
		return nil, err
	}
	if err != nil || !src.Active || !s.proven(src.Secret, h, body) {
		return nil, heed.Errorf(heed.EUnauthorized, "no active inbound source %q takes this secret or signature", key)
	}
	m, err := newInboundMap(src)
	if err != nil {
		return nil, err
	}
	in, err := m.inputs(body)
	switch {
	case err != nil:
		return nil, err
	case len(in) == 0:
		return []Recorded{}, nil // an empty list of items: nothing to do
	}
	recs, err := s.Record(ctx, heed.System(), "inbound "+key, in)
	return recs, m.explain(err)
}

// proven reports whether the caller holds secret: as the bearer token of
// the Authorization header (compared in constant time), or as the key of
// a Standard Webhooks signature of body made within SignatureTolerance
// of now. Either will do.
func (s *Service) proven(secret string, h http.Header, body []byte) bool {
	if token, ok := bearerToken(h.Get("Authorization")); ok && subtle.ConstantTimeCompare([]byte(token), []byte(secret)) == 1 {
		return true
	}
	return h.Get("webhook-signature") != "" && webhooks.Verify(secret, h, body, s.cfg.Now(), SignatureTolerance) == nil
}

// bearerToken returns the token of an "Authorization: Bearer <token>"
// header.
func bearerToken(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

// Preview is what one item of a document would become: the input the
// mapping makes of it, and how it would be matched and read.
type Preview struct {
	Input     Input                 `json:"input"`
	Customer  string                `json:"customer,omitempty"` // the customer matched (external id)
	Unit      string                `json:"unit,omitempty"`
	Language  string                `json:"language"`
	Sentiment *textan.Sentiment     `json:"sentiment"`
	Themes    []textan.ThemeMention `json:"themes"`
}

// TrySource maps a sample document with a source's mapping and checks
// the items as Receive would, writing nothing (admins; the source may be
// inactive): how to set a mapping up before the other system sends.
func (s *Service) TrySource(ctx context.Context, p heed.Principal, key string, body []byte) ([]Preview, error) {
	if err := requireAdmin(p, "try inbound sources"); err != nil {
		return nil, err
	}
	if len(body) > MaxInboundBody {
		return nil, heed.Errorf(heed.ETooLarge, "a document may be at most %d bytes", MaxInboundBody)
	}
	src, err := s.store.GetInboundSource(ctx, key)
	if err != nil {
		return nil, err
	}
	m, err := newInboundMap(src)
	if err != nil {
		return nil, err
	}
	in, err := m.inputs(body)
	if err != nil {
		return nil, err
	}
	_, recs, err := s.check(ctx, "inbound "+key, in, s.cfg.Now())
	if err != nil {
		return nil, m.explain(err)
	}
	out := make([]Preview, len(in))
	for i, r := range recs {
		out[i] = Preview{Input: in[i], Customer: r.Customer, Unit: r.Unit, Language: r.Language,
			Sentiment: r.Sentiment, Themes: r.Themes}
	}
	return out, nil
}

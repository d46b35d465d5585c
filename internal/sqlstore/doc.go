// Package sqlstore is the engine-independent half of the two stores,
// sqlite and postgres: input checks and defaults, the encodings of what
// they store (canonical attributes, folded sort and search keys, list
// cursors), the decisions an upsert makes (created, updated, unchanged),
// the conditions a scope or filter puts on a query and the words of the
// errors they return. Both engines call it, so they cannot drift apart;
// what stays in each engine is SQL, placeholders, driver types and time
// encoding.
package sqlstore

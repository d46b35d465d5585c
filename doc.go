// Package heed holds the domain of Heed — units, employees, customers,
// principals, jobs — together with the error codes and the store contract
// that every adapter implements. It imports nothing of Heed's own: stores,
// services and faces depend on it, never the other way round.
package heed

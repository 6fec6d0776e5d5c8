// Package validate checks the Kubernetes manifests in deploy/k8s offline: each document is
// decoded strictly (an unknown or misspelled field, a duplicate key or a value of the
// wrong type is an error) into the k8s.io/api type of its kind, and the settings that must
// agree across files (the shard count, the results volume and its mount) are compared.
//
// It is a module of its own so that the main module does not require k8s.io/api;
// `make validate-k8s` (part of `make test`) runs its tests.
package validate

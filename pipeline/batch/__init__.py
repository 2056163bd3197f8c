"""The build engine: build, worker job, pool, ledger, manifest, progress, watch."""

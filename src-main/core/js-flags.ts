// V8 flags for the process that hosts the applicant API (Electron's main process, `npm run serve`).
//
// --max-semi-space-size=8: half the default young generation (16 MB semi-spaces on a 64-bit Node
// 20). A scavenge stops its thread for as long as it takes to copy what survives, and on the main
// thread and on the submission writer what survives grows with the young generation (measured
// with --trace-gc-nvp: some 10 % of what was allocated since the last scavenge). Under 50
// submitting clients the main thread stalled 8–15 ms every 300 ms with 64 MB semi-spaces (the
// setting before the submission writer, when the event loop itself ran the batches); with 8 MB
// it stalls 1–3 ms a little more often. Measured with
// bench/applicant-api.bench.ts, three rounds of alternating runs (submissions/s, p99 ms):
// 8 MB 4,639 / 23.7, 4,291 / 24.6, 3,852 / 26.8; the default 4,353 / 29.3, 4,433 / 19.8,
// 4,340 / 26.6; 64 MB 4,355 / 36.1, 4,818 / 29.1, 3,979 / 40.8. Progress look-ups were the same.
//
// --no-parallel-scavenge: the thread that scavenges does it alone, without V8's helper threads.
// On this 2-core machine the cores are already taken by the main thread, the submission writer,
// the WAL checkpointer and the load: a helper either waits for a core or takes it from the writer,
// and the scavenge waits for its helpers. Measured with bench/applicant-api.bench.ts, ten
// alternating pairs of runs (means, default first): progress look-ups 26,397 against 28,553/s
// (higher in 8 pairs of 10), p99 median 5.9 against 5.4 ms; submissions 4,168 against 4,334/s,
// p99 mean 26.4 against 24.5 ms (two runs in ten over 30 ms either way).
//
// V8 sizes its heap before any script runs, so these must be on the command line: package.json's
// `serve` and `demo` scripts spell them out (tests/services/js-flags.test.ts keeps them equal to
// this list), Electron gets them through app.commandLine (src-main/index.ts), the bench through
// its spawn.
export const SERVER_JS_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--no-parallel-scavenge']

// V8 flags for the process that hosts the applicant API (Electron's main process, `npm run serve`).
//
// --max-semi-space-size=64: a submission allocates a few hundred kB of short-lived objects (the
// parsed body, the validated form, its JSON snapshot, the response), so at 3,000+/s the default
// young generation (16 MB semi-spaces on a 64-bit Node 20) is scavenged many times a second and
// each scavenge stalls every request waiting in the batch. 64 MB semi-spaces scavenge a quarter as
// often. Measured with bench/applicant-api.bench.ts in four alternating A/B pairs: submission p99
// 24.9 / 33.4 / 45.5 / 32.1 ms against 28.1 / 54.5 / 51.6 / 38.4 ms, and 3,933 / 3,645 / 3,650 /
// 3,827 submissions/s against 3,758 / 3,037 / 3,414 / 3,742. The cost is up to ~190 MB of address
// space for the young generation, committed only as it fills.
//
// V8 sizes its heap before any script runs, so these must be on the command line: package.json's
// `serve` and `demo` scripts spell them out (tests/services/js-flags.test.ts keeps them equal to
// this list), Electron gets them through app.commandLine (src-main/index.ts), the bench through
// its spawn.
export const SERVER_JS_FLAGS: readonly string[] = ['--max-semi-space-size=64']

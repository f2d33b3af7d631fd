// The applications' stage-led indexes (queues, searches within a stage, time in stage) leave
// drafts out (migration 0011). SQLite uses a partial index only when the query repeats the
// index's condition word for word, so every query that filters applications by stage adds this
// term; without it the query is still right, only slower (a scan instead of the index).

/** `stage <> 'draft'`, for the applications table under `alias` (e.g. `notDraft('a')`). */
export const notDraft = (alias?: string) => `${alias ? `${alias}.` : ''}stage <> 'draft'`

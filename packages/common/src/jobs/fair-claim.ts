/** A job table whose jobs belong to users, described for {@link fairNextJobSql}. */
export interface FairJobTable {
  /** The table, e.g. `documents`. */
  table: string;
  /** The column the claiming UPDATE finds the job by (`id` when not given). */
  key?: string;
  /** The column naming the user a job belongs to. */
  owner: string;
  /** The column set to now() by every claim: the time the user was last served. */
  claimedAt: string;
  /** The SQL condition of a job that may be claimed (waiting, or its lease ran out), over the row alias given. */
  claimable(alias: string): string;
  /** The SQL condition of a job that a worker holds under a live lease, over the row alias given. */
  running(alias: string): string;
  /** The order of one user's waiting jobs (oldest first), over the row alias given. */
  order(alias: string): string;
}

/**
 * The query that picks the id of the next job to claim so that a user with many jobs waiting cannot
 * starve another user's: among the users with a job waiting, the one with the fewest jobs running
 * goes first, then the one served least recently (never served first); that user's oldest job is
 * taken. Users are thereby served in turn, whatever the number of jobs each has queued. The row is
 * locked `FOR UPDATE SKIP LOCKED`, so use it as `WHERE <key> = (<this>)` in the claiming UPDATE,
 * which must also set `claimedAt` to now().
 */
export function fairNextJobSql(t: FairJobTable): string {
  return `SELECT j.${t.key ?? 'id'} FROM ${t.table} j
    JOIN (SELECT o.${t.owner} AS owner,
                 count(*) FILTER (WHERE ${t.running('o')}) AS running,
                 max(o.${t.claimedAt}) AS last_claim
            FROM ${t.table} o
           WHERE o.${t.owner} IN (SELECT w.${t.owner} FROM ${t.table} w WHERE ${t.claimable('w')})
           GROUP BY o.${t.owner}) u ON u.owner = j.${t.owner}
   WHERE ${t.claimable('j')}
   ORDER BY u.running, u.last_claim NULLS FIRST, ${t.order('j')}
   LIMIT 1 FOR UPDATE OF j SKIP LOCKED`;
}

/**
 * Dashboard bench data, made with SQL (generate_series), not through the API:
 *
 * - "Bench 001", the largest organisation: 2,000 learners in 10 teams, 20 published modules of
 *   2 lessons × 5 cards (200 cards), every card learnt by every learner, 1 to 9 answers per card
 *   (mean 5: about 2 M review logs) spread over two years, the last one in the past 120 days;
 * - 199 more organisations of 40 learners (4 teams, 5 modules, 50 cards, 1 to 3 answers per
 *   card): 10,000 learners in the instance.
 *
 * Every learner has a team, one of 5 job roles and, three in four, one of 3 personas; every
 * module is assigned to every learner of its organisation; lessons are opened 95 % of the time
 * and finished 90 % of those. Stabilities are spread from 1 to 400 days (e^(6·U)). Each answer
 * carries its predecessor (`prev_*`), as the review service writes it.
 *
 * `scale` divides learners and organisations (0.1: 200 learners in the largest, 20 in all).
 *
 *   DATABASE_URL=postgres://… npx tsx bench/dashboard-data.ts [--scale 1]
 *   npx tsx bench/dashboard-data.ts          (PGlite in ./data-bench at one tenth of the scale)
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, openPglite, openPostgres } from '../server/db/client';
import { isEntryPoint } from './lib/stats';

export const BIG_ORG_NAME = 'Bench 001';

/** When the `i`-th of a card state's `reps` answers was given: evenly from the first to the last. */
const answeredAt = (i: SQL) => sql`case when s.reps = 1 then s.last_review
  else s.first_review + (s.last_review - s.first_review) * ((${i} - 1)::float8 / (s.reps - 1))
  end`;

/** Statements run in order, in one transaction (the temporary tables live in one session). */
function statements(scale: number, now: Date) {
  const orgs = Math.max(2, Math.round(200 * scale));
  const bigLearners = Math.round(2000 * scale);
  const at = now.toISOString();
  return [
    sql`insert into organisations (name)
      select 'Bench ' || lpad(g::text, 3, '0') from generate_series(1, ${orgs}::int) g`,
    sql`create temp table bench_orgs on commit drop as
      select id, (substr(name, 7))::int as n,
        case when name = ${BIG_ORG_NAME} then ${bigLearners}::int else 40 end as learners,
        case when name = ${BIG_ORG_NAME} then 10 else 4 end as teams,
        case when name = ${BIG_ORG_NAME} then 20 else 5 end as modules,
        case when name = ${BIG_ORG_NAME} then 9 else 3 end as max_reps
      from organisations where name like 'Bench %'`,
    sql`insert into teams (org_id, name)
      select o.id, 'Team ' || t from bench_orgs o, generate_series(1, o.teams) t`,
    sql`insert into job_roles (org_id, name)
      select o.id, 'Job role ' || j from bench_orgs o, generate_series(1, 5) j`,
    sql`insert into personas (org_id, name, confidence, device, minutes_per_day, position)
      select o.id, 'Persona ' || p, p, 'any', 5, p from bench_orgs o, generate_series(1, 3) p`,
    sql`insert into tools (org_id, name) select o.id, 'Tool' from bench_orgs o`,
    sql`create temp table bench_structure on commit drop as
      select 'team' as kind, org_id, id, row_number() over (partition by org_id order by name) as i
        from teams where org_id in (select id from bench_orgs)
      union all
      select 'job_role', org_id, id, row_number() over (partition by org_id order by name)
        from job_roles where org_id in (select id from bench_orgs)
      union all
      select 'persona', org_id, id, row_number() over (partition by org_id order by name)
        from personas where org_id in (select id from bench_orgs)`,
    sql`insert into users (email, name, password_hash)
      select 'b' || o.n || '.' || u || '@bench.test', 'Learner ' || u, 'not a hash'
      from bench_orgs o, generate_series(1, o.learners) u`,
    sql`create temp table bench_people on commit drop as
      select u.id as user_id, o.id as org_id, o.teams,
        split_part(split_part(u.email, '@', 1), '.', 2)::int as k
      from users u join bench_orgs o on o.n = substr(split_part(u.email, '.', 1), 2)::int
      where u.email like 'b%@bench.test'`,
    sql`insert into memberships (org_id, user_id, roles, team_id, job_role_id, persona_id)
      select p.org_id, p.user_id, '{learner}', t.id, j.id, ps.id
      from bench_people p
      join bench_structure t on t.kind = 'team' and t.org_id = p.org_id
        and t.i = 1 + p.k % p.teams
      join bench_structure j on j.kind = 'job_role' and j.org_id = p.org_id and j.i = 1 + p.k % 5
      left join bench_structure ps on ps.kind = 'persona' and ps.org_id = p.org_id
        and ps.i = 1 + p.k % 4`,
    sql`insert into modules (org_id, tool_id, title, estimated_minutes, status, version,
        published_at, has_unpublished_changes)
      select o.id, tl.id, 'Module ' || lpad(m::text, 2, '0'), 5, 'published', 1,
        ${at}::timestamptz - interval '730 days', false
      from bench_orgs o join tools tl on tl.org_id = o.id, generate_series(1, o.modules) m`,
    sql`create temp table bench_lessons on commit drop as
      select gen_random_uuid() as lesson_id, m.id as module_id, m.org_id, l
      from modules m, generate_series(1, 2) l
      where m.org_id in (select id from bench_orgs)`,
    sql`insert into module_versions (org_id, module_id, version, content, published_at)
      select org_id, module_id, 1,
        jsonb_build_object('lessons', jsonb_agg(jsonb_build_object(
          'id', lesson_id, 'title', 'Lesson ' || l, 'personaIds', '[]'::jsonb,
          'blocks', '[]'::jsonb, 'cards', '[]'::jsonb) order by l)),
        ${at}::timestamptz - interval '730 days'
      from bench_lessons group by org_id, module_id`,
    sql`insert into assignments (org_id, module_id, user_id, reason, opens_at)
      select p.org_id, m.id, p.user_id, 'target', ${at}::timestamptz - interval '730 days'
      from bench_people p join modules m on m.org_id = p.org_id`,
    sql`insert into lesson_progress (user_id, lesson_id, org_id, module_id, position,
        completed_at, updated_at)
      select p.user_id, l.lesson_id, p.org_id, l.module_id, 3,
        case when random() < 0.9 then ${at}::timestamptz - interval '700 days' end,
        ${at}::timestamptz - interval '700 days'
      from bench_people p join bench_lessons l on l.org_id = p.org_id
      where random() < 0.95`,
    sql`create temp table bench_cards on commit drop as
      select gen_random_uuid() as card_id, l.module_id, l.org_id
      from bench_lessons l, generate_series(1, 5) c`,
    sql`create temp table bench_states on commit drop as
      select p.org_id, p.user_id, c.card_id, c.module_id,
        exp(random() * 6) as stability,
        ${at}::timestamptz - random() * interval '120 days' as last_review,
        ${at}::timestamptz - interval '730 days' + random() * interval '60 days' as first_review,
        1 + floor(random() * o.max_reps)::int as reps
      from bench_people p
      join bench_orgs o on o.id = p.org_id
      join bench_cards c on c.org_id = p.org_id`,
    // Every pair has its dashboard_pairs row already, marked, from the assignments' statement
    // trigger: the card states' row trigger would only lock it again, once per card state.
    sql`alter table card_states disable trigger card_states_dashboard_pairs_insert`,
    // The first review is the earliest answer logged below.
    sql`insert into card_states (org_id, user_id, card_id, module_id, due, stability, difficulty,
        elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review,
        first_review)
      select org_id, user_id, card_id, module_id, last_review + stability * interval '1 day',
        stability, 5, 0, round(stability)::int, 0, reps, 0, 2, last_review,
        case when reps = 1 then last_review else first_review end
      from bench_states`,
    sql`alter table card_states enable trigger card_states_dashboard_pairs_insert`,
    // Each answer with its predecessor, as the review service writes it: the previous answer's
    // time (the same expression one step back), stability and interval; none for the first.
    sql`insert into review_logs (id, org_id, user_id, card_id, module_id, module_version, answer,
        correct, rating, duration_ms, reviewed_at, request_retention, state_before, elapsed_days,
        stability, difficulty, scheduled_days, due, prev_reviewed_at, prev_stability,
        prev_scheduled_days)
      select gen_random_uuid(), s.org_id, s.user_id, s.card_id, s.module_id, 1,
        '{"kind":"truefalse","value":true}', true, 3, 8000, ${answeredAt(sql`i`)},
        0.9, 2, 0, s.stability, 5, 1, s.last_review,
        case when i > 1 then ${answeredAt(sql`i - 1`)} end,
        case when i > 1 then s.stability end,
        case when i > 1 then 1 end
      from bench_states s, generate_series(1, s.reps) i`,
  ];
}

/** Fills an empty, migrated database; answers the largest organisation's id. */
export async function generateDashboardData(db: Executor, scale: number, now: Date) {
  await db.transaction(async (tx) => {
    for (const statement of statements(scale, now)) await tx.execute(statement);
  });
  // As autovacuum would have by then: statistics, and a visibility map for index-only scans.
  await db.execute(sql`vacuum analyze`);
  const result: unknown = await db.execute(
    sql`select id from organisations where name = ${BIG_ORG_NAME}`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (rows[0] as { id: string }).id;
}

if (isEntryPoint(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  const i = process.argv.indexOf('--scale');
  const scale = i > 0 ? Number(process.argv[i + 1]) : url ? 1 : 0.1;
  const handle = url ? openPostgres(url) : await openPglite('./data-bench');
  await handle.migrate();
  const started = performance.now();
  const orgId = await generateDashboardData(handle.db, scale, new Date());
  console.log(
    `${BIG_ORG_NAME} (${orgId}) at scale ${scale} in ${Math.round(performance.now() - started)} ms`,
  );
  await handle.close();
}

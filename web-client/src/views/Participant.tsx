import { useMemo, useState } from 'preact/hooks';
import { SessionClient, type ClientView } from '../client';
import { CommentForm, CommentList } from '../components/Comments';
import { ResultsPanel } from '../components/Results';
import { ScenarioCard } from '../components/Scenario';
import { ConnectionBanner, FatalMessage, Notices } from '../components/Status';
import { useClient, useTitle } from '../hooks';
import type { FrameworkTest, Sector, VoteValue } from '../protocol';
import {
  currentScenario,
  myVote,
  resultsKey,
  scenarioNumber,
  visibleComments,
  voteKey,
  type ClientState,
} from '../state';
import { kv, loadIdentity } from '../storage';
import { participantStatus, SCALE_SHORT, SECTOR_LABEL, voteLabel } from '../words';

export function ParticipantApp({ code }: { code: string }) {
  const client = useMemo(() => {
    const id = loadIdentity(kv(), code);
    return new SessionClient(code, id ? { role: 'participant', token: id.token } : { role: 'lookup' });
  }, [code]);
  const view = useClient(client);
  useTitle(view.state.session?.title ?? view.info?.title ?? 'Join');

  if (view.fatal)
    return (
      <FatalMessage title="We couldn't open this workshop" text={view.fatal.text}>
        <p>
          <a class="btn" href="/join">
            Enter a different code
          </a>
        </p>
      </FatalMessage>
    );
  if (client.role === 'lookup') return <JoinForm client={client} view={view} code={code} />;
  if (!view.state.session)
    return (
      <main class="page narrow" id="main">
        <ConnectionBanner view={view} client={client} />
        <Notices view={view} client={client} />
        <p class="lead">Opening the workshop…</p>
      </main>
    );
  return <ParticipantSession client={client} view={view} />;
}

// --- Joining ---------------------------------------------------------------------------------------

const SECTORS: Sector[] = ['public', 'voluntary', 'other', 'unspecified'];

function JoinForm({ client, view, code }: { client: SessionClient; view: ClientView; code: string }) {
  const [name, setName] = useState('');
  const [area, setArea] = useState('');
  const [sector, setSector] = useState<Sector>('unspecified');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const info = view.info;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!area) {
      setProblem('Choose your area.');
      document.getElementById('area-group')?.querySelector<HTMLElement>('input,select')?.focus();
      return;
    }
    setProblem('');
    setBusy(true);
    try {
      await client.join({ name, area, sector });
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page narrow" id="main">
      <ConnectionBanner view={view} client={client} />
      <Notices view={view} client={client} />
      <p class="eyebrow">Workshop code {code}</p>
      <h1>{info ? info.title : 'Join the workshop'}</h1>
      {!info && <p class="lead">Looking up the workshop…</p>}
      {info && info.phase === 'ended' && <p class="lead">This workshop has ended. Thank you for your interest.</p>}
      {info && info.phase !== 'ended' && (
        <form class="stack" onSubmit={submit} noValidate>
          <p class="lead">Tell us a little about you, then join. It takes a few seconds.</p>
          <div class="field">
            <label for="join-name">Your name (optional)</label>
            <p class="hint" id="join-name-hint">
              Shown next to your comments. Leave it empty to take part anonymously.
            </p>
            <input
              id="join-name"
              type="text"
              autocomplete="nickname"
              maxLength={60}
              aria-describedby="join-name-hint"
              value={name}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
            />
          </div>
          {info.areas.length <= 8 ? (
            <fieldset class="field" id="area-group">
              <legend>Your area</legend>
              <div class="options">
                {info.areas.map((a) => (
                  <label key={a} class="option">
                    <input type="radio" name="area" value={a} checked={area === a} onChange={() => setArea(a)} />
                    <span>{a}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          ) : (
            <div class="field" id="area-group">
              <label for="join-area">Your area</label>
              <select id="join-area" value={area} onChange={(e) => setArea((e.target as HTMLSelectElement).value)}>
                <option value="">Choose your area</option>
                {info.areas.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for="join-sector">Where do you work? (optional)</label>
            <select id="join-sector" value={sector} onChange={(e) => setSector((e.target as HTMLSelectElement).value as Sector)}>
              {SECTORS.map((s) => (
                <option key={s} value={s}>
                  {SECTOR_LABEL[s]}
                </option>
              ))}
            </select>
          </div>
          <div aria-live="polite">{problem && <p class="field-error">{problem}</p>}</div>
          <button type="submit" class="btn btn-primary btn-wide" disabled={busy || view.connection !== 'open'}>
            {busy ? 'Joining…' : 'Join the workshop'}
          </button>
        </form>
      )}
    </main>
  );
}

// --- In the session --------------------------------------------------------------------------------

const VOTE_VALUES: VoteValue[] = [1, 2, 3, 4, 5];

function VotePanel({
  client,
  view,
  test,
}: {
  client: SessionClient;
  view: ClientView;
  test: FrameworkTest;
}) {
  const s = view.state.session!;
  const open = s.phase === 'voting_open' && s.open_tests.includes(test.id);
  const key = voteKey(s.scenario!, s.round!, test.id);
  const pending = view.outbox.find((x) => x.key === `vote|${key}`);
  const saved = myVote(view.state, test.id);
  const shown = pending && pending.command.type === 'vote' ? pending.command.value : saved;
  const headingId = `test-${test.id}`;

  let status: string;
  if (pending) status = pending.req !== undefined ? 'Saving…' : "Kept on this device; it will be sent when you're back online.";
  else if (saved !== undefined) status = open ? 'Saved. You can change it while voting is open.' : 'Saved.';
  else status = open ? 'Not answered yet.' : '';

  const cast = (value: VoteValue) => {
    if (!open) return;
    client
      .send(
        { type: 'vote', scenario: s.scenario!, round: s.round!, test: test.id, value },
        `your answer on ${test.name} (${SCALE_SHORT[String(value)]})`,
        `vote|${key}`,
      )
      .catch(() => {
        /* reported as a notice by the client */
      });
  };

  return (
    <section class={`test-card${open ? ' is-open' : ''}`} aria-labelledby={headingId}>
      <div class="test-head">
        <h3 id={headingId}>{test.name}</h3>
        <span class={`pill ${open ? 'pill-open' : 'pill-closed'}`}>{open ? 'Voting open' : 'Voting closed'}</span>
      </div>
      <p>{test.description}</p>
      {test.questions.length > 0 && (
        <details class="questions">
          <summary>Questions to consider</summary>
          <ul>
            {test.questions.map((q) => (
              <li key={q}>{q}</li>
            ))}
          </ul>
        </details>
      )}
      <div class="scale" role="group" aria-labelledby={headingId}>
        {VOTE_VALUES.map((v) => (
          <button
            key={v}
            type="button"
            class={`scale-btn p${v}${shown === v ? ' chosen' : ''}`}
            aria-pressed={shown === v ? 'true' : 'false'}
            disabled={!open}
            onClick={() => cast(v)}
          >
            <span class="scale-num">
              {v}
              {shown === v && <span aria-hidden="true"> ✓</span>}
            </span>{' '}
            <span class="scale-label">{SCALE_SHORT[String(v)]}</span>
          </button>
        ))}
        <button
          type="button"
          class={`scale-btn scale-cant${shown === 'cant_say' ? ' chosen' : ''}`}
          aria-pressed={shown === 'cant_say' ? 'true' : 'false'}
          disabled={!open}
          onClick={() => cast('cant_say')}
        >
          <span class="scale-label">
            Can't say{shown === 'cant_say' && <span aria-hidden="true"> ✓</span>}
          </span>
        </button>
      </div>
      <p class="vote-status" aria-live="polite">
        {shown !== undefined && (
          <>
            <strong>Your answer: {voteLabel(shown)}.</strong>{' '}
          </>
        )}
        {status}
      </p>
    </section>
  );
}

function whoAmI(state: ClientState): string {
  const y = state.you;
  if (!y) return '';
  return `${y.name || y.pseudonym} · ${y.area}`;
}

function ParticipantSession({ client, view }: { client: SessionClient; view: ClientView }) {
  const state = view.state;
  const s = state.session!;
  const sc = currentScenario(state);
  const total = s.scenarios.length;
  const n = scenarioNumber(state, s.scenario);
  const openHere = s.phase === 'voting_open';
  const roundInfo = sc?.rounds.find((r) => r.round === s.round);
  const revealed = roundInfo?.revealed ?? false;
  const results = sc && s.round ? state.results[resultsKey(sc.id, s.round)] : undefined;
  const live = !revealed && s.live_results ? liveResults(state) : null;
  const previous = sc && s.round && s.round > 1 ? state.results[resultsKey(sc.id, s.round - 1)] : undefined;
  const comments = visibleComments(state, s.scenario);

  return (
    <>
      <header class="topbar">
        <div class="topbar-inner">
          <span class="brand">{s.title}</span>
          <span class="who">{whoAmI(state)}</span>
        </div>
      </header>
      <main class="page narrow" id="main">
        <ConnectionBanner view={view} client={client} />
        <Notices view={view} client={client} />
        <p class={`phase phase-${s.phase}`} aria-live="polite">
          {participantStatus(s.phase, openHere)}
          {s.round && s.round > 1 && s.phase !== 'ended' ? ` (Round ${s.round}: you can change your mind.)` : ''}
        </p>

        {!sc && s.phase !== 'ended' && (
          <section class="card">
            <h1>You're in</h1>
            <p>
              The first scenario will appear here when the facilitator opens it. You can leave this page open; it
              updates by itself.
            </p>
          </section>
        )}

        {sc && (
          <>
            <ScenarioCard scenario={sc} number={n} total={total} headingId="scenario-title" />

            {previous && (
              <details class="card previous">
                <summary>What the room said in round {s.round! - 1}</summary>
                <ResultsPanel framework={s.framework} results={previous} details={false} />
              </details>
            )}

            {(revealed && results) || live ? (
              <section class="card" aria-labelledby="results-title">
                <h2 id="results-title">{revealed ? 'Results' : 'Live results'}</h2>
                {!revealed && <p class="muted">These update as people vote.</p>}
                <ResultsPanel framework={s.framework} results={(revealed ? results : live)!} />
                <YourAnswers state={state} />
              </section>
            ) : null}

            {!revealed && s.phase !== 'ended' && (
              <section aria-labelledby="vote-title">
                <h2 id="vote-title" class="section-title">
                  Your view
                </h2>
                <p class="muted">
                  For each test, choose how well this proposal meets it. Choose "Can't say" if you don't feel able to
                  judge.
                </p>
                {s.framework.tests.map((t) => (
                  <VotePanel key={t.id} client={client} view={view} test={t} />
                ))}
              </section>
            )}

            <section class="card" aria-labelledby="comments-title">
              <h2 id="comments-title">Comments</h2>
              {s.phase !== 'ended' && (
                <CommentForm
                  framework={s.framework}
                  offline={!view.joined}
                  onSubmit={(c) =>
                    client.send(
                      { type: 'comment', scenario: sc.id, kind: c.kind, text: c.text, ...(c.test ? { test: c.test } : {}) },
                      'your comment',
                    )
                  }
                />
              )}
              <h3 class="subhead">{s.show_comments ? "What people are saying" : 'Your comments'}</h3>
              {!s.show_comments && (
                <p class="muted">The facilitator will show everyone's comments when it's time to discuss them.</p>
              )}
              <CommentList
                comments={comments}
                framework={s.framework}
                mode="participant"
                empty={s.show_comments ? 'No comments yet.' : "You haven't commented on this scenario yet."}
                onEndorse={(c) => {
                  client.send({ type: 'endorse', comment: c.id }, 'your endorsement').catch(() => {});
                }}
              />
            </section>
          </>
        )}

        {s.phase === 'ended' && (
          <section class="card">
            <h1>Thank you</h1>
            <p>The workshop has ended. Your answers and comments have been recorded. You can close this page.</p>
          </section>
        )}
      </main>
    </>
  );
}

function liveResults(state: ClientState) {
  const s = state.session!;
  const p = state.progress;
  if (!p || p.scenario !== s.scenario || p.round !== s.round || !p.tests?.every((t) => t.results)) return null;
  return { scenario: s.scenario!, round: s.round!, tests: p.tests.map((t) => ({ ...t.results!, test: t.test })) };
}

function YourAnswers({ state }: { state: ClientState }) {
  const s = state.session!;
  const mine = s.framework.tests.map((t) => ({ t, v: myVote(state, t.id) }));
  if (mine.every((m) => m.v === undefined)) return <p class="muted">You did not answer in this round.</p>;
  return (
    <p class="your-answers">
      <strong>Your answers:</strong>{' '}
      {mine.map((m, i) => (
        <span key={m.t.id}>
          {i > 0 ? '; ' : ''}
          {m.t.name}: {voteLabel(m.v)}
        </span>
      ))}
    </p>
  );
}

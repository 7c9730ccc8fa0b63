import { useMemo, useState } from 'preact/hooks';
import { SessionClient, type ClientView } from '../client';
import { CommentList } from '../components/Comments';
import { ConfirmDialog } from '../components/Confirm';
import { QrCode } from '../components/QrCode';
import { ResultsPanel } from '../components/Results';
import { ImportScenarios, ScenarioForm } from '../components/ScenarioEditor';
import { ConnectionBanner, FatalMessage, Notices } from '../components/Status';
import { fetchExport, saveBlob } from '../exporting';
import { controlsFor, describeRoomSize, type Action } from '../facilitation';
import { useClient, useTitle } from '../hooks';
import { EXPORT_FORMATS, type Command, type Scenario, type SessionView } from '../protocol';
import { currentResults, currentScenario, scenarioNumber, visibleComments, type ClientState } from '../state';
import { keys, kv } from '../storage';
import { phaseHeadline, plural } from '../words';

/** The facilitator's key comes in the link's #fragment (never sent to the server in a URL); it is kept for reloads. */
export function facilitatorToken(code: string): string | null {
  const fromHash = decodeURIComponent(location.hash.replace(/^#/, '')).trim();
  if (fromHash) {
    kv().set(keys.facilitator(code), fromHash);
    return fromHash;
  }
  return kv().get(keys.facilitator(code));
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}

export function joinUrl(code: string): string {
  return `${location.origin}/join/${code}`;
}

export function FacilitatorApp({ code }: { code: string }) {
  const token = useMemo(() => facilitatorToken(code), [code]);
  if (!token)
    return (
      <FatalMessage
        title="This link is missing its key"
        text="Open the facilitator console with the full link you got when you created the workshop (it ends with # and a long key)."
      >
        <p>
          <a class="btn" href="/new">
            Create a new workshop
          </a>
        </p>
      </FatalMessage>
    );
  return <Console code={code} token={token} />;
}

function headline(state: ClientState): string {
  const s = state.session!;
  return phaseHeadline({
    phase: s.phase,
    open_tests: s.open_tests,
    framework: s.framework,
    round: s.round,
    scenarioNumber: scenarioNumber(state, s.scenario),
    scenarioCount: s.scenarios.length,
  });
}

function Console({ code, token }: { code: string; token: string }) {
  const client = useMemo(() => new SessionClient(code, { role: 'facilitator', token }), [code, token]);
  const view = useClient(client);
  const s = view.state.session;
  useTitle(s ? `Facilitate: ${s.title}` : 'Facilitate');

  if (view.fatal) return <FatalMessage title="We couldn't open the console" text={view.fatal.text} />;
  if (!s)
    return (
      <main class="page" id="main">
        <ConnectionBanner view={view} client={client} />
        <p class="lead">Opening the console…</p>
      </main>
    );

  const run = (command: Command, label: string) =>
    client.send(command, label).catch((e: Error) => client.notify('error', e.message));

  return (
    <>
      <header class="topbar">
        <div class="topbar-inner wide">
          <span class="brand">{s.title}</span>
          <span class="who">
            Facilitator · Code <strong class="code-inline">{s.code}</strong>
          </span>
        </div>
      </header>
      <main class="console" id="main">
        <h1 class="visually-hidden">Facilitator console: {s.title}</h1>
        <div class="console-banner">
          <ConnectionBanner view={view} client={client} />
          <Notices view={view} client={client} />
        </div>
        <div class="console-main">
          <NowPanel client={client} view={view} run={run} />
          <LivePanel state={view.state} />
          <CommentsPanel state={view.state} run={run} />
          <ScenariosPanel client={client} view={view} run={run} />
        </div>
        <aside class="console-side" aria-label="Joining, room and exports">
          <JoinPanel session={s} />
          <RoomPanel state={view.state} />
          <SettingsPanel session={s} run={run} />
          <ExportPanel code={s.code} token={token} />
        </aside>
      </main>
    </>
  );
}

function NowPanel({ client, view, run }: { client: SessionClient; view: ClientView; run(c: Command, l: string): Promise<void> }) {
  const state = view.state;
  const s = state.session!;
  const sc = currentScenario(state);
  const controls = controlsFor(s);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const offline = view.connection !== 'open' || !view.joined;

  const act = async (a: Action) => {
    setBusy(a.id);
    await run(a.command, a.label);
    setBusy(null);
  };

  return (
    <section class="card now" aria-labelledby="now-title">
      <h2 id="now-title" class="visually-hidden">
        Now
      </h2>
      <p class={`phase-big phase-${s.phase}`} aria-live="polite">
        {headline(state)}
      </p>
      {sc ? (
        <p class="now-scenario">
          On screen: <strong>Scenario {scenarioNumber(state, sc.id)}: {sc.title}</strong>
        </p>
      ) : (
        s.phase !== 'ended' && <p class="now-scenario">No scenario on screen yet.</p>
      )}
      {s.phase !== 'ended' && (
        <div class="controls">
          {controls.actions.map((a) => (
            <div key={a.id} class="control">
              <button
                type="button"
                class={`btn ${a.primary ? 'btn-primary' : ''}`}
                disabled={offline || busy !== null}
                aria-describedby={`explain-${a.id}`}
                onClick={() => act(a)}
              >
                {busy === a.id ? 'Working…' : a.label}
              </button>
              <p class="explain" id={`explain-${a.id}`}>
                {a.explain}
              </p>
            </div>
          ))}
          {controls.blocked.map((b) => (
            <div key={b.label} class="control">
              <button type="button" class="btn" disabled aria-describedby={`why-${b.label.replace(/\W+/g, '-')}`}>
                {b.label}
              </button>
              <p class="explain" id={`why-${b.label.replace(/\W+/g, '-')}`}>
                {b.why}
              </p>
            </div>
          ))}
          {controls.note && <p class="note">{controls.note}</p>}
          {offline && <p class="note">You're offline: the controls come back when the connection does.</p>}
        </div>
      )}
      {s.phase !== 'ended' ? (
        <div class="end-row">
          <button type="button" class="btn btn-danger-outline" disabled={offline} onClick={() => setConfirmEnd(true)}>
            End the session…
          </button>
          <span class="explain">Closes voting for good. You can still export everything afterwards.</span>
        </div>
      ) : (
        <p>Everything is saved. Use the export buttons to download the results and the transcript.</p>
      )}
      <ConfirmDialog
        open={confirmEnd}
        title="End the session?"
        body="Nobody will be able to vote or comment any more, and this cannot be undone. Results and comments stay available to export."
        confirmLabel="End the session"
        cancelLabel="Keep it running"
        onCancel={() => setConfirmEnd(false)}
        onConfirm={async () => {
          setConfirmEnd(false);
          await run({ type: 'end_session' }, 'End the session');
          client.notify('info', 'The session has ended.');
        }}
      />
    </section>
  );
}

function LivePanel({ state }: { state: ClientState }) {
  const s = state.session!;
  const p = state.progress;
  const sc = currentScenario(state);
  if (!sc || !s.round) return null;
  const voters = p?.participants.voters ?? 0;
  const tests = p && p.scenario === s.scenario && p.round === s.round ? p.tests ?? [] : [];
  const results = currentResults(state);
  const revealed = sc.rounds.find((r) => r.round === s.round)?.revealed ?? false;
  const areas = s.areas;
  return (
    <section class="card" aria-labelledby="live-title">
      <h2 id="live-title">
        {s.phase === 'voting_open' ? `Round ${s.round}: answers coming in` : `Round ${s.round}: answers`}
      </h2>
      <div class="table-wrap">
        <table class="table">
        <caption class="visually-hidden">Votes in per test and area</caption>
        <thead>
          <tr>
            <th scope="col">Test</th>
            <th scope="col">Answered</th>
            {areas.length > 1 && areas.length <= 8 && areas.map((a) => <th key={a} scope="col">{a}</th>)}
          </tr>
        </thead>
        <tbody>
          {s.framework.tests.map((t) => {
            const row = tests.find((x) => x.test === t.id);
            const open = s.open_tests.includes(t.id);
            return (
              <tr key={t.id}>
                <th scope="row">
                  {t.name} {open && <span class="pill pill-open">open</span>}
                </th>
                <td>
                  {row?.voted ?? 0} of {voters}
                </td>
                {areas.length > 1 && areas.length <= 8 && areas.map((a) => <td key={a}>{row?.by_area?.find((x) => x.area === a)?.voted ?? 0}</td>)}
              </tr>
            );
          })}
        </tbody>
      </table>
        </div>
      {results && results.tests.some((t) => t.voters > 0) ? (
        <>
          <h3 class="subhead">{revealed ? 'Results (shown to everyone)' : 'How it is forming'}</h3>
          {!revealed && <p class="private-note">Only you can see this until you reveal the results.</p>}
          <ResultsPanel framework={s.framework} results={results} />
        </>
      ) : (
        <p class="muted">No answers yet in this round.</p>
      )}
    </section>
  );
}

function CommentsPanel({ state, run }: { state: ClientState; run(c: Command, l: string): Promise<void> }) {
  const s = state.session!;
  const [all, setAll] = useState(false);
  const comments = all ? state.comments : visibleComments(state, s.scenario);
  return (
    <section class="card" aria-labelledby="comments-title">
      <div class="card-head">
        <h2 id="comments-title">Comments ({comments.length})</h2>
        <label class="inline-check">
          <input type="checkbox" checked={all} onChange={() => setAll(!all)} /> All scenarios
        </label>
      </div>
      <p class="muted">
        {s.show_comments
          ? 'Participants can see these comments (except hidden ones).'
          : 'Participants see only their own comments until you show them (see Settings).'}
      </p>
      <CommentList
        comments={comments}
        framework={s.framework}
        mode="facilitator"
        empty={all ? 'No comments yet.' : 'No comments on this scenario yet.'}
        onModerate={(c, change) =>
          run(
            { type: 'moderate_comment', comment: c.id, ...change },
            change.hidden !== undefined ? (change.hidden ? 'Hide comment' : 'Show comment') : change.pinned ? 'Pin comment' : 'Unpin comment',
          )
        }
      />
    </section>
  );
}

function scenarioStatus(s: SessionView, sc: Scenario): string {
  if (s.scenario === sc.id) return 'On screen now';
  if (sc.rounds.length === 0) return 'Not opened yet';
  const last = sc.rounds[sc.rounds.length - 1];
  return `${plural(sc.rounds.length, 'round')}${last.revealed ? ', results shown' : ''}`;
}

function ScenariosPanel({ client, view, run }: { client: SessionClient; view: ClientView; run(c: Command, l: string): Promise<void> }) {
  const s = view.state.session!;
  const [editing, setEditing] = useState<string | null>(null);
  const ended = s.phase === 'ended';
  const reorder = (i: number, j: number) => {
    const order = s.scenarios.map((x) => x.id);
    [order[i], order[j]] = [order[j], order[i]];
    run({ type: 'reorder_scenarios', order }, 'Reorder scenarios');
  };
  return (
    <section class="card" aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios ({s.scenarios.length})</h2>
      {s.scenarios.length === 0 && <p class="muted">No scenarios yet. Add one below.</p>}
      <ol class="scenario-list">
        {s.scenarios.map((sc, i) => (
          <li key={sc.id} class={s.scenario === sc.id ? 'current' : ''}>
            {editing === sc.id ? (
              <ScenarioForm
                idPrefix={`edit-${sc.id}`}
                initial={sc}
                submitLabel="Save changes"
                onSave={async (v) => {
                  await client.send({ type: 'update_scenario', scenario: { ...v, id: sc.id } }, 'Save scenario');
                  setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <div class="scenario-row">
                <div>
                  <strong>
                    {i + 1}. {sc.title}
                  </strong>
                  <p class="muted">{scenarioStatus(s, sc)}</p>
                </div>
                {!ended && (
                  <div class="row">
                    {s.scenario !== sc.id && (
                      <button
                        type="button"
                        class="btn btn-small"
                        disabled={s.phase === 'voting_open'}
                        title={s.phase === 'voting_open' ? 'Close voting first' : undefined}
                        aria-label={`Put on screen: scenario ${i + 1}, ${sc.title}`}
                        onClick={() => run({ type: 'open_scenario', scenario: sc.id }, `Open "${sc.title}"`)}
                      >
                        Put on screen
                      </button>
                    )}
                    {sc.rounds.length === 0 && (
                      <button type="button" class="btn btn-small" aria-label={`Edit "${sc.title}"`} onClick={() => setEditing(sc.id)}>
                        Edit
                      </button>
                    )}
                    <button type="button" class="btn btn-small" aria-label={`Move "${sc.title}" up`} disabled={i === 0} onClick={() => reorder(i, i - 1)}>
                      Up
                    </button>
                    <button type="button" class="btn btn-small" aria-label={`Move "${sc.title}" down`} disabled={i === s.scenarios.length - 1} onClick={() => reorder(i, i + 1)}>
                      Down
                    </button>
                  </div>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      {!ended && (
        <>
          <details class="card-inner">
            <summary>Add a scenario</summary>
            <ScenarioForm
              idPrefix="add-scenario"
              submitLabel="Add this scenario"
              onSave={(v) => client.send({ type: 'add_scenario', scenario: v }, `Add "${v.title}"`)}
            />
          </details>
          <ImportScenarios
            idPrefix="console"
            onImport={async (list) => {
              for (const sc of list) await client.send({ type: 'add_scenario', scenario: sc }, `Add "${sc.title}"`);
            }}
          />
        </>
      )}
    </section>
  );
}

function JoinPanel({ session }: { session: SessionView }) {
  const link = joinUrl(session.code);
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      setTimeout(() => setCopied(false), 3000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section class="card join-panel" aria-labelledby="join-title">
      <h2 id="join-title">How people join</h2>
      <p class="muted">On a phone, scan the code or go to the link and enter:</p>
      <p class="join-code">
        <span class="visually-hidden">Join code: </span>
        {session.code}
      </p>
      <QrCode text={link} label={`QR code for ${link}`} size={180} />
      <p class="join-link">
        <a href={link} target="_blank" rel="noopener">
          {link}
        </a>
      </p>
      <div class="row">
        <button type="button" class="btn btn-small" onClick={copy}>
          Copy join link
        </button>
        <a class="btn btn-small" href={`/present/${session.code}`} target="_blank" rel="noopener">
          Open presenter view
        </a>
      </div>
      <p class="muted small" aria-live="polite">
        {copied ? 'Link copied.' : 'Show the presenter view on the projector: it has no controls.'}
      </p>
      {isLoopback(location.hostname) && (
        <p class="note">
          This link uses this computer's own address, which phones cannot reach. To let people join from their phones,
          start Quorum with <code>--host 0.0.0.0</code> and open this console using the computer's network address.
        </p>
      )}
    </section>
  );
}

function RoomPanel({ state }: { state: ClientState }) {
  const p = state.progress?.participants;
  return (
    <section class="card" aria-labelledby="room-title">
      <h2 id="room-title">The room</h2>
      <p>{describeRoomSize(p?.joined ?? 0, p?.connected ?? 0)}</p>
      {p?.by_area && (
        <div class="table-wrap">
        <table class="table">
          <caption class="visually-hidden">Participants per area</caption>
          <thead>
            <tr>
              <th scope="col">Area</th>
              <th scope="col">Joined</th>
              <th scope="col">Connected</th>
            </tr>
          </thead>
          <tbody>
            {p.by_area.map((a) => (
              <tr key={a.area}>
                <th scope="row">{a.area}</th>
                <td>{a.joined}</td>
                <td>{a.connected}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </section>
  );
}

function SettingsPanel({ session, run }: { session: SessionView; run(c: Command, l: string): Promise<void> }) {
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={session.show_comments}
          onChange={(e) => run({ type: 'set_visibility', show_comments: (e.target as HTMLInputElement).checked }, 'Show comments')}
        />
        <span>
          Show everyone's comments to participants
          <span class="hint">Otherwise each person sees only their own.</span>
        </span>
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={session.live_results}
          onChange={(e) => run({ type: 'set_visibility', live_results: (e.target as HTMLInputElement).checked }, 'Live results')}
        />
        <span>
          Show results to participants while they vote
          <span class="hint">Usually off, so people are not swayed before answering.</span>
        </span>
      </label>
    </section>
  );
}

function ExportPanel({ code, token }: { code: string; token: string }) {
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const go = async (format: string) => {
    setBusy(format);
    setStatus(null);
    try {
      const { blob, name } = await fetchExport(code, token, format);
      saveBlob(blob, name);
      setStatus({ tone: 'ok', text: `Downloaded ${name}.` });
    } catch (e) {
      setStatus({ tone: 'error', text: (e as Error).message });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p class="muted">Download the results at any time, during or after the workshop.</p>
      <ul class="exports">
        {EXPORT_FORMATS.map((f) => (
          <li key={f.format}>
            <button type="button" class="btn btn-small" disabled={busy !== null} onClick={() => go(f.format)} aria-describedby={`exp-${f.format.replace('.', '-')}`}>
              {busy === f.format ? 'Preparing…' : f.label}
            </button>
            <span class="hint" id={`exp-${f.format.replace('.', '-')}`}>
              {f.hint}
            </span>
          </li>
        ))}
      </ul>
      <div aria-live="polite">{status && <p class={status.tone === 'ok' ? 'field-ok' : 'field-error'}>{status.text}</p>}</div>
    </section>
  );
}

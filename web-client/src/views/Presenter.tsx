import { useMemo } from 'preact/hooks';
import { SessionClient } from '../client';
import { QrCode } from '../components/QrCode';
import { ResultsPanel } from '../components/Results';
import { ScenarioCard } from '../components/Scenario';
import { ConnectionBanner, FatalMessage } from '../components/Status';
import { useClient, useTitle } from '../hooks';
import { currentScenario, resultsKey, scenarioNumber, votedCounts } from '../state';
import { phaseHeadline } from '../words';
import { joinUrl } from './Facilitator';

/**
 * For the projector: no controls, nothing the room should not see. It joins as a read-only
 * presenter, which needs only the join code: the server sends it what participants see, so results
 * appear only once revealed.
 */
export function PresenterApp({ code }: { code: string }) {
  return <Presenter code={code} />;
}

function Presenter({ code }: { code: string }) {
  const client = useMemo(() => new SessionClient(code, { role: 'presenter' }), [code]);
  const view = useClient(client);
  const state = view.state;
  const s = state.session;
  useTitle(s ? `Presenting: ${s.title}` : 'Presenter');
  if (view.fatal) return <FatalMessage title="We couldn't open the presenter view" text={view.fatal.text} />;
  if (!s)
    return (
      <main class="presenter" id="main">
        <ConnectionBanner view={view} client={client} />
        <p class="lead">Connecting…</p>
      </main>
    );

  const sc = currentScenario(state);
  const link = joinUrl(s.code);
  const revealed = sc?.rounds.find((r) => r.round === s.round)?.revealed ?? false;
  const results = revealed && sc && s.round ? state.results[resultsKey(sc.id, s.round)] : null;
  const voted = votedCounts(state);
  const voters = state.progress?.participants.voters ?? 0;
  const joined = state.progress?.participants.joined ?? 0;
  const headline = phaseHeadline({
    phase: s.phase,
    open_tests: s.open_tests,
    framework: s.framework,
    round: s.round,
    scenarioNumber: scenarioNumber(state, s.scenario),
    scenarioCount: s.scenarios.length,
  });
  const showJoin = s.phase === 'lobby';

  return (
    <main class={`presenter${showJoin ? ' presenter-lobby' : ''}`} id="main">
      <ConnectionBanner view={view} client={client} />
      <header class="presenter-head">
        <h1 class="presenter-title">{s.title}</h1>
        {!showJoin && s.phase !== 'ended' && (
          <p class="presenter-join-small">
            Join at <strong>{link.replace(/^https?:\/\//, '')}</strong>
          </p>
        )}
      </header>

      {showJoin && (
        <section class="presenter-joinbox" aria-label="How to join">
          <div>
            <p class="presenter-big">Join on your phone</p>
            <p class="presenter-url">{link.replace(/^https?:\/\//, '').replace(/\/join\/.*/, '/join')}</p>
            <p class="presenter-big">and enter the code</p>
            <p class="presenter-code">{s.code}</p>
            <p class="presenter-count" aria-live="polite">
              {joined === 0 ? 'Nobody has joined yet' : `${joined} ${joined === 1 ? 'person has' : 'people have'} joined`}
            </p>
          </div>
          <QrCode text={link} label={`QR code for ${link}`} size={320} />
        </section>
      )}

      {sc && (
        <div class="presenter-body">
          <p class={`presenter-phase phase-${s.phase}`} aria-live="polite">
            {headline}
          </p>
          <ScenarioCard scenario={sc} number={scenarioNumber(state, sc.id)} total={s.scenarios.length} big headingId="presenter-scenario" />
          {results ? (
            <section aria-labelledby="presenter-results">
              <h2 id="presenter-results" class="presenter-section">
                Results{s.round && s.round > 1 ? `, round ${s.round}` : ''}
              </h2>
              <ResultsPanel framework={s.framework} results={results} big details={false} />
            </section>
          ) : (
            (s.phase === 'voting_open' || s.phase === 'voting_closed') && (
              <section class="presenter-progress" aria-label="Votes so far" aria-live="polite">
                {s.framework.tests.map((t) => (
                  <p key={t.id}>
                    <span class="presenter-test">{t.name}</span>{' '}
                    <span class="presenter-num">
                      {voted[t.id] ?? 0} of {voters}
                    </span>{' '}
                    have answered
                  </p>
                ))}
              </section>
            )
          )}
        </div>
      )}
      {s.phase === 'ended' && <p class="presenter-big">Thank you for taking part.</p>}
    </main>
  );
}

import { divergingSegments, percent } from '../chart';
import type { Framework, RoundResults, Stats } from '../protocol';
import { consensusWords, resultSentence, SCALE_SHORT, verdictWords } from '../words';

const POINTS = [1, 2, 3, 4, 5];

/** The diverging bar for one test; aria-hidden because the sentence beside it says the same. */
export function DivergingBar({ stats, big = false }: { stats: Stats; big?: boolean }) {
  const segments = divergingSegments(stats.distribution);
  return (
    <div class={`dbar${big ? ' dbar-big' : ''}`} aria-hidden="true">
      <div class="dbar-track">
        {segments.map((s) =>
          s.count > 0 ? (
            <div key={s.point} class={`dbar-seg p${s.point}`} style={{ left: `${s.left}%`, width: `${s.width}%` }}>
              {s.width >= 6 ? s.count : ''}
            </div>
          ) : null,
        )}
        <div class="dbar-centre" />
      </div>
      <div class="dbar-ends">
        <span>← Fails</span>
        <span>Meets →</span>
      </div>
    </div>
  );
}

export function Legend() {
  return (
    <ul class="legend" aria-hidden="true">
      {POINTS.map((p) => (
        <li key={p}>
          <span class={`swatch p${p}`} />
          {SCALE_SHORT[String(p)]}
        </li>
      ))}
    </ul>
  );
}

function VerdictBadge({ stats }: { stats: Stats }) {
  return <span class={`verdict verdict-${stats.verdict}`}>{verdictWords(stats.verdict)}</span>;
}

/**
 * Results of one round: per test a verdict, consensus in words, the bar and a sentence that says
 * everything the bar shows (the text equivalent). `details` adds a table of counts.
 */
export function ResultsPanel({
  framework,
  results,
  big = false,
  details = true,
  headingLevel = 3,
}: {
  framework: Framework;
  results: RoundResults;
  big?: boolean;
  details?: boolean;
  headingLevel?: 2 | 3;
}) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class={`results${big ? ' results-big' : ''}`}>
      {framework.tests.map((t) => {
        const s = results.tests.find((x) => x.test === t.id);
        if (!s) return null;
        return (
          <section key={t.id} class="result" aria-label={`Results for ${t.name}`}>
            <div class="result-head">
              <H class="result-name">{t.name}</H>
              <VerdictBadge stats={s} />
            </div>
            <p class="result-consensus">
              {consensusWords(s)}
              {s.voters > 0 ? ` · ${s.voters} answered` : ''}
              {s.cant_say > 0 ? ` (${s.cant_say} can't say)` : ''}
            </p>
            <DivergingBar stats={s} big={big} />
            <p class="visually-hidden">{resultSentence(t.name, s)}</p>
            {details && s.voters > 0 && (
              <details class="result-details">
                <summary>See the numbers for {t.name}</summary>
                <table>
                  <caption class="visually-hidden">Answers on {t.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Answer</th>
                      <th scope="col">People</th>
                      <th scope="col">Share of opinions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {POINTS.slice()
                      .reverse()
                      .map((p) => (
                        <tr key={p}>
                          <th scope="row">{SCALE_SHORT[String(p)]}</th>
                          <td>{s.distribution[p - 1]}</td>
                          <td>{percent(s.distribution[p - 1], s.opinions)}</td>
                        </tr>
                      ))}
                    <tr>
                      <th scope="row">Can't say</th>
                      <td>{s.cant_say}</td>
                      <td>not counted</td>
                    </tr>
                  </tbody>
                </table>
                {s.median !== null && (
                  <p class="muted">
                    Middle answer (median): {s.median}. Agreement score: {Math.round((s.consensus ?? 0) * 100)} out of 100.
                  </p>
                )}
              </details>
            )}
          </section>
        );
      })}
      <Legend />
    </div>
  );
}

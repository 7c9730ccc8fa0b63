import type { Scenario } from '../protocol';

const DETAILS: [keyof Scenario, string][] = [
  ['data_involved', 'Data involved'],
  ['sharing', 'Who shares with whom'],
  ['purpose', 'Purpose'],
  ['theme', 'Service area'],
];

export function ScenarioCard({
  scenario,
  number,
  total,
  big = false,
  headingId,
}: {
  scenario: Scenario;
  number: number;
  total: number;
  big?: boolean;
  headingId?: string;
}) {
  const details = DETAILS.filter(([k]) => typeof scenario[k] === 'string' && scenario[k]);
  return (
    <article class={`scenario${big ? ' scenario-big' : ''}`} aria-labelledby={headingId}>
      <p class="eyebrow">
        Scenario {number} of {total}
      </p>
      <h2 id={headingId} class="scenario-title">
        {scenario.title}
      </h2>
      <p class="scenario-text">{scenario.description}</p>
      {details.length > 0 && (
        <dl class="scenario-details">
          {details.map(([k, label]) => (
            <div key={k}>
              <dt>{label}</dt>
              <dd>{scenario[k] as string}</dd>
            </div>
          ))}
        </dl>
      )}
    </article>
  );
}

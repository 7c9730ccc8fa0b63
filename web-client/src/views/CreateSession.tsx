import { useState } from 'preact/hooks';
import { ImportScenarios, ScenarioForm } from '../components/ScenarioEditor';
import { defaultFramework, slugify } from '../defaults';
import { useTitle } from '../hooks';
import type { CreatedSession, Framework, FrameworkTest, ScenarioText, SessionRequest } from '../protocol';
import { keys, kv } from '../storage';
import { errorText } from '../words';

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = list.slice();
  const [x] = next.splice(from, 1);
  next.splice(to, 0, x);
  return next;
}

export function CreateSession() {
  useTitle('Create a workshop');
  const [title, setTitle] = useState('');
  const [areasText, setAreasText] = useState('');
  const [customTests, setCustomTests] = useState(false);
  const [framework, setFramework] = useState<Framework>(defaultFramework());
  const [scenarios, setScenarios] = useState<ScenarioText[]>([]);
  const [editing, setEditing] = useState<number | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  const areas = areasText
    .split('\n')
    .map((a) => a.trim())
    .filter(Boolean);

  const setTest = (i: number, patch: Partial<FrameworkTest>) =>
    setFramework({ ...framework, tests: framework.tests.map((t, j) => (j === i ? { ...t, ...patch } : t)) });

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!title.trim()) return fail('Give the workshop a title.', 'new-title');
    if (areas.length === 0) return fail('List at least one area, one per line.', 'new-areas');
    if (new Set(areas).size !== areas.length) return fail('Each area should appear only once.', 'new-areas');
    const body: SessionRequest = { title: title.trim(), areas, scenarios };
    if (customTests) {
      const tests = framework.tests
        .filter((t) => t.name.trim())
        .map((t) => ({ ...t, name: t.name.trim(), questions: t.questions.map((q) => q.trim()).filter(Boolean) }));
      if (tests.length === 0) return fail('Keep at least one test, with a name.', 'test-0-name');
      const ids: string[] = [];
      for (const t of tests) ids.push((t.id = t.id || slugify(t.name, ids)));
      body.framework = { name: framework.name || 'Custom', tests };
    }
    setProblem('');
    setBusy(true);
    try {
      const res = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(errorText(data.error ?? '', data.message ?? `The server answered ${res.status}.`));
      const created = data as CreatedSession;
      kv().set(keys.facilitator(created.code), created.facilitator_token);
      location.assign(`/facilitate/${created.code}#${created.facilitator_token}`);
    } catch (err) {
      setProblem(err instanceof TypeError ? 'Could not reach the server. Check it is running, then try again.' : (err as Error).message);
      setBusy(false);
    }
  };

  function fail(text: string, focusId: string) {
    setProblem(text);
    document.getElementById(focusId)?.focus();
  }

  return (
    <main class="page" id="main">
      <p class="eyebrow">
        <a href="/">Quorum</a>
      </p>
      <h1>Create a workshop</h1>
      <p class="lead">Set up the workshop, then share the join code with the room. You can add and reorder scenarios later.</p>
      {/* Not one big form: the scenario editor inside has forms of its own. */}
      <div class="stack">
        <section class="card stack" aria-labelledby="new-basics">
          <h2 id="new-basics">The workshop</h2>
          <div class="field">
            <label for="new-title">Title</label>
            <p class="hint" id="new-title-hint">Participants see this when they join.</p>
            <input id="new-title" type="text" maxLength={200} aria-describedby="new-title-hint" value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="new-areas">Areas</label>
            <p class="hint" id="new-areas-hint">
              One per line. Each participant picks theirs when joining, so you can compare views by area.
            </p>
            <textarea id="new-areas" rows={4} aria-describedby="new-areas-hint" value={areasText} onInput={(e) => setAreasText((e.target as HTMLTextAreaElement).value)} />
          </div>
        </section>

        <section class="card stack" aria-labelledby="new-tests">
          <h2 id="new-tests">Tests</h2>
          <fieldset class="field">
            <legend>Which tests will people judge each scenario against?</legend>
            <div class="options">
              <label class="option">
                <input type="radio" name="tests" checked={!customTests} onChange={() => setCustomTests(false)} />
                <span>The standard three tests: Purposeful, Proportionate, Responsible</span>
              </label>
              <label class="option">
                <input type="radio" name="tests" checked={customTests} onChange={() => setCustomTests(true)} />
                <span>Edit the tests</span>
              </label>
            </div>
          </fieldset>
          {customTests && (
            <div class="stack">
              {framework.tests.map((t, i) => (
                <fieldset key={i} class="test-edit">
                  <legend>Test {i + 1}</legend>
                  <div class="field">
                    <label for={`test-${i}-name`}>Name</label>
                    <input id={`test-${i}-name`} type="text" maxLength={200} value={t.name} onInput={(e) => setTest(i, { name: (e.target as HTMLInputElement).value })} />
                  </div>
                  <div class="field">
                    <label for={`test-${i}-desc`}>What it means</label>
                    <textarea id={`test-${i}-desc`} rows={2} value={t.description} onInput={(e) => setTest(i, { description: (e.target as HTMLTextAreaElement).value })} />
                  </div>
                  <div class="field">
                    <label for={`test-${i}-q`}>Guiding questions, one per line</label>
                    <textarea id={`test-${i}-q`} rows={3} value={t.questions.join('\n')} onInput={(e) => setTest(i, { questions: (e.target as HTMLTextAreaElement).value.split('\n') })} />
                  </div>
                  <button type="button" class="btn btn-small" onClick={() => setFramework({ ...framework, tests: framework.tests.filter((_, j) => j !== i) })} disabled={framework.tests.length <= 1}>
                    Remove test {i + 1}
                  </button>
                </fieldset>
              ))}
              <div class="row">
                <button type="button" class="btn" onClick={() => setFramework({ ...framework, tests: [...framework.tests, { id: '', name: '', description: '', questions: [] }] })} disabled={framework.tests.length >= 12}>
                  Add a test
                </button>
                <button type="button" class="btn btn-quiet" onClick={() => setFramework(defaultFramework())}>
                  Go back to the standard tests
                </button>
              </div>
            </div>
          )}
        </section>

        <section class="card stack" aria-labelledby="new-scenarios">
          <h2 id="new-scenarios">Scenarios</h2>
          <p class="hint">Each scenario is a proposed use of personal data for the room to judge. They are shown in this order.</p>
          {scenarios.length === 0 ? (
            <p class="muted">No scenarios yet.</p>
          ) : (
            <ol class="scenario-list">
              {scenarios.map((sc, i) => (
                <li key={`${i}-${sc.title}`}>
                  {editing === i ? (
                    <ScenarioForm
                      idPrefix={`edit-${i}`}
                      initial={sc}
                      submitLabel="Save changes"
                      onSave={(v) => {
                        setScenarios(scenarios.map((x, j) => (j === i ? v : x)));
                        setEditing(null);
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  ) : (
                    <div class="scenario-row">
                      <div>
                        <strong>{sc.title}</strong>
                        <p class="muted clamp">{sc.description}</p>
                      </div>
                      <div class="row">
                        <button type="button" class="btn btn-small" aria-label={`Move "${sc.title}" up`} disabled={i === 0} onClick={() => setScenarios(move(scenarios, i, i - 1))}>
                          Up
                        </button>
                        <button type="button" class="btn btn-small" aria-label={`Move "${sc.title}" down`} disabled={i === scenarios.length - 1} onClick={() => setScenarios(move(scenarios, i, i + 1))}>
                          Down
                        </button>
                        <button type="button" class="btn btn-small" aria-label={`Edit "${sc.title}"`} onClick={() => setEditing(i)}>
                          Edit
                        </button>
                        <button type="button" class="btn btn-small" aria-label={`Remove "${sc.title}"`} onClick={() => setScenarios(scenarios.filter((_, j) => j !== i))}>
                          Remove
                        </button>
                      </div>
                    </div>
                  )}
                </li>
              ))}
            </ol>
          )}
          <details class="card-inner" open={scenarios.length === 0}>
            <summary>Add a scenario</summary>
            <ScenarioForm idPrefix="new-scenario" submitLabel="Add this scenario" onSave={(v) => setScenarios([...scenarios, v])} />
          </details>
          <ImportScenarios idPrefix="new" onImport={(list) => setScenarios([...scenarios, ...list])} />
        </section>

        <div aria-live="polite">{problem && <p class="field-error">{problem}</p>}</div>
        <button type="button" class="btn btn-primary btn-wide" disabled={busy} onClick={submit}>
          {busy ? 'Creating…' : 'Create the workshop'}
        </button>
      </div>
    </main>
  );
}

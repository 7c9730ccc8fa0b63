import { useState } from 'preact/hooks';
import { importScenarios } from '../importing';
import type { ScenarioText } from '../protocol';

const OPTIONAL: [keyof ScenarioText, string, string][] = [
  ['data_involved', 'Data involved', 'For example: names, dates of birth, attendance records'],
  ['sharing', 'Who shares with whom', 'For example: schools share with the council’s early help team'],
  ['purpose', 'Purpose', 'What it is meant to achieve'],
  ['theme', 'Service area', 'For example: children and education'],
];

/** A form for one scenario's wording. */
export function ScenarioForm({
  initial,
  submitLabel,
  onSave,
  onCancel,
  idPrefix,
}: {
  initial?: ScenarioText;
  submitLabel: string;
  onSave(s: ScenarioText): Promise<void> | void;
  onCancel?(): void;
  idPrefix: string;
}) {
  const [s, setS] = useState<ScenarioText>(initial ?? { title: '', description: '' });
  const [problem, setProblem] = useState('');
  const set = (k: keyof ScenarioText, v: string) => setS({ ...s, [k]: v });
  const submit = async (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    if (!s.title.trim()) return setProblem('Give the scenario a title.');
    if (!s.description.trim()) return setProblem('Describe the proposed use of data.');
    setProblem('');
    const clean: ScenarioText = { title: s.title.trim(), description: s.description.trim() };
    if (s.id) clean.id = s.id;
    for (const [k] of OPTIONAL) {
      const v = (s[k] ?? '').trim();
      if (v) (clean as unknown as Record<string, string>)[k] = v;
    }
    try {
      await onSave(clean);
      if (!initial) setS({ title: '', description: '' });
    } catch (err) {
      setProblem((err as Error).message);
    }
  };
  return (
    <form class="scenario-form stack" onSubmit={submit} noValidate>
      <div class="field">
        <label for={`${idPrefix}-title`}>Title</label>
        <input id={`${idPrefix}-title`} type="text" maxLength={200} value={s.title} onInput={(e) => set('title', (e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for={`${idPrefix}-description`}>The proposed use of data, in plain words</label>
        <textarea
          id={`${idPrefix}-description`}
          rows={3}
          maxLength={4000}
          value={s.description}
          onInput={(e) => set('description', (e.target as HTMLTextAreaElement).value)}
        />
      </div>
      <details class="more">
        <summary>More details (optional)</summary>
        {OPTIONAL.map(([k, label, hint]) => (
          <div class="field" key={k}>
            <label for={`${idPrefix}-${k}`}>{label}</label>
            <input
              id={`${idPrefix}-${k}`}
              type="text"
              maxLength={4000}
              placeholder={hint}
              value={(s[k] as string) ?? ''}
              onInput={(e) => set(k, (e.target as HTMLInputElement).value)}
            />
          </div>
        ))}
      </details>
      <div aria-live="polite">{problem && <p class="field-error">{problem}</p>}</div>
      <div class="row">
        <button type="submit" class="btn btn-primary">
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** "Import scenarios from a file": JSON or CSV, read in the browser. */
export function ImportScenarios({ onImport, idPrefix }: { onImport(s: ScenarioText[]): Promise<void> | void; idPrefix: string }) {
  const [report, setReport] = useState<{ ok: string; problems: string[] } | null>(null);
  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    const { scenarios, problems } = importScenarios(file.name, text);
    try {
      if (scenarios.length) await onImport(scenarios);
      setReport({
        ok: scenarios.length ? `Imported ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'} from ${file.name}.` : '',
        problems,
      });
    } catch (err) {
      setReport({ ok: '', problems: [...problems, (err as Error).message] });
    }
    input.value = '';
  };
  return (
    <div class="import">
      <label for={`${idPrefix}-import`} class="label">
        Import scenarios from a file
      </label>
      <p class="hint" id={`${idPrefix}-import-hint`}>
        A CSV file with columns <code>title</code>, <code>description</code> and optionally <code>data_involved</code>,{' '}
        <code>sharing</code>, <code>purpose</code>, <code>theme</code>; or a JSON list of scenarios with the same fields.
      </p>
      <input id={`${idPrefix}-import`} type="file" accept=".csv,.json,text/csv,application/json" aria-describedby={`${idPrefix}-import-hint`} onChange={onFile} />
      <div aria-live="polite">
        {report?.ok && <p class="field-ok">{report.ok}</p>}
        {report && report.problems.length > 0 && (
          <div class="field-error">
            <p>Some rows were not imported:</p>
            <ul>
              {report.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}

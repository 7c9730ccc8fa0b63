// Reading scenarios from a file the facilitator prepared: JSON (a list, or {"scenarios": [...]})
// or CSV with a header row. Problems are reported per row in plain words; good rows still import.
import type { ScenarioText } from './protocol';

export interface ImportResult {
  scenarios: ScenarioText[];
  problems: string[];
}

const FIELDS = ['id', 'title', 'description', 'data_involved', 'sharing', 'purpose', 'theme'] as const;

/** Header spellings people use, mapped to our field names. */
const ALIASES: Record<string, (typeof FIELDS)[number]> = {
  id: 'id',
  title: 'title',
  name: 'title',
  description: 'description',
  scenario: 'description',
  data_involved: 'data_involved',
  data: 'data_involved',
  sharing: 'sharing',
  who_shares_with_whom: 'sharing',
  purpose: 'purpose',
  theme: 'theme',
  service_area: 'theme',
};

function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark from spreadsheet exports
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function fromRecord(rec: Record<string, unknown>, where: string, problems: string[]): ScenarioText | null {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) {
    const field = ALIASES[normaliseHeader(k)];
    if (!field) continue;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string' && typeof v !== 'number') {
      problems.push(`${where}: "${k}" should be text.`);
      return null;
    }
    const text = String(v).trim();
    if (text) out[field] = text;
  }
  if (!out.title) {
    problems.push(`${where}: it has no title.`);
    return null;
  }
  if (!out.description) {
    problems.push(`${where} ("${out.title}"): it has no description.`);
    return null;
  }
  return out as unknown as ScenarioText;
}

export function importScenarios(fileName: string, text: string): ImportResult {
  const problems: string[] = [];
  const scenarios: ScenarioText[] = [];
  const looksJson = /\.json$/i.test(fileName) || /^\s*[[{]/.test(text);
  if (looksJson) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return { scenarios, problems: ['The file is not valid JSON.'] };
    }
    const list = Array.isArray(data) ? data : (data as { scenarios?: unknown })?.scenarios;
    if (!Array.isArray(list))
      return { scenarios, problems: ['The JSON file should hold a list of scenarios, or an object with a "scenarios" list.'] };
    list.forEach((item, i) => {
      if (!item || typeof item !== 'object') problems.push(`Scenario ${i + 1}: it is not an object.`);
      else {
        const s = fromRecord(item as Record<string, unknown>, `Scenario ${i + 1}`, problems);
        if (s) scenarios.push(s);
      }
    });
    return { scenarios, problems };
  }
  const rows = parseCsv(text);
  if (rows.length < 2) return { scenarios, problems: ['The CSV file needs a header row and at least one scenario.'] };
  const header = rows[0].map(normaliseHeader);
  if (!header.some((h) => ALIASES[h] === 'title') || !header.some((h) => ALIASES[h] === 'description'))
    return { scenarios, problems: ['The CSV file needs "title" and "description" columns in its first row.'] };
  rows.slice(1).forEach((r, i) => {
    const rec: Record<string, string> = {};
    header.forEach((h, j) => (rec[h] = r[j] ?? ''));
    const s = fromRecord(rec, `Row ${i + 2}`, problems);
    if (s) scenarios.push(s);
  });
  return { scenarios, problems };
}

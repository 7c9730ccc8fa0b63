import { describe, expect, it } from 'vitest';
import { slugify } from '../src/defaults';
import { filenameFromDisposition } from '../src/exporting';
import { importScenarios, parseCsv } from '../src/importing';

describe('CSV', () => {
  it('handles quotes, commas and newlines inside fields, CRLF and a byte-order mark', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","line1\nline2"\r\n\r\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', 'line1\nline2'],
    ]);
  });
  it('imports scenarios by header name, reporting bad rows', () => {
    const r = importScenarios(
      'list.csv',
      'Title,Description,Data involved,Who shares with whom,Extra\nA,Desc A,names,schools to council,ignored\n,no title\nB,\n',
    );
    expect(r.scenarios).toEqual([{ title: 'A', description: 'Desc A', data_involved: 'names', sharing: 'schools to council' }]);
    expect(r.problems).toEqual(['Row 3: it has no title.', 'Row 4 ("B"): it has no description.']);
  });
  it('needs title and description columns', () => {
    expect(importScenarios('x.csv', 'name\nA\n').problems[0]).toMatch(/"title" and "description"/);
  });
});

describe('JSON', () => {
  it('takes a list or {scenarios: [...]}', () => {
    const list = [{ title: 'A', description: 'B', theme: 'Transport', rounds: 3 }];
    expect(importScenarios('a.json', JSON.stringify(list)).scenarios).toEqual([{ title: 'A', description: 'B', theme: 'Transport' }]);
    expect(importScenarios('a.json', JSON.stringify({ scenarios: list })).scenarios).toHaveLength(1);
    expect(importScenarios('a.json', '{').problems).toEqual(['The file is not valid JSON.']);
    expect(importScenarios('a.json', '{"x":1}').problems[0]).toMatch(/list of scenarios/);
  });
});

describe('small helpers', () => {
  it('makes test ids the server accepts', () => {
    expect(slugify('Fair & Lawful?')).toBe('fair-lawful');
    expect(slugify('Fair', ['fair'])).toBe('fair-2');
    expect(slugify('!!!')).toBe('test');
  });
  it('reads a download name from Content-Disposition', () => {
    expect(filenameFromDisposition('attachment; filename="ABC234-votes.csv"')).toBe('ABC234-votes.csv');
    expect(filenameFromDisposition("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.md")).toBe('résumé.md');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

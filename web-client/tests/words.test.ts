import { describe, expect, it } from 'vitest';
import { divergingSegments, percent } from '../src/chart';
import { defaultFramework } from '../src/defaults';
import { controlsFor } from '../src/facilitation';
import type { SessionView } from '../src/protocol';
import { route } from '../src/routes';
import { consensusWords, describeWaiting, errorText, phaseHeadline, resultSentence, whichTests } from '../src/words';

const fw = defaultFramework();

function session(patch: Partial<SessionView>): SessionView {
  return {
    code: 'ABC234',
    title: 'T',
    areas: ['Leeds'],
    framework: fw,
    scale: [],
    scenarios: [
      { id: 's1', title: 'Attendance', description: 'd', rounds: [] },
      { id: 's2', title: 'Housing', description: 'd', rounds: [] },
    ],
    phase: 'lobby',
    scenario: null,
    round: null,
    open_tests: [],
    live_results: false,
    show_comments: true,
    ...patch,
  };
}

describe('phase headlines', () => {
  const h = (patch: Partial<Parameters<typeof phaseHeadline>[0]>) =>
    phaseHeadline({ phase: 'voting_open', open_tests: [], framework: fw, round: 1, scenarioNumber: 1, scenarioCount: 2, ...patch });
  it('says which tests are open, in words', () => {
    expect(h({ open_tests: ['purposeful', 'proportionate', 'responsible'] })).toBe('Voting is open on all three tests');
    expect(h({ open_tests: ['proportionate'] })).toBe('Voting is open on Proportionate only');
    expect(h({ open_tests: ['purposeful', 'responsible'], round: 2 })).toBe('Voting is open on Purposeful and Responsible (round 2)');
    expect(h({ phase: 'lobby' })).toBe('Waiting to start: people are joining');
    expect(h({ phase: 'scenario_open' })).toMatch(/^Scenario 1 of 2 is being discussed/);
    expect(h({ phase: 'ended' })).toBe('The session has ended');
  });
  it('names tests', () => {
    expect(whichTests(fw, ['purposeful'])).toBe('Purposeful only');
  });
});

describe('results in words', () => {
  const base = { voters: 4, opinions: 4, cant_say: 0, median: 4, mean: 4, iqr: 0, agreement: 1 };
  it('turns consensus into plain words', () => {
    expect(consensusWords({ opinions: 0, consensus: null, polarised: false })).toBe('No opinions yet');
    expect(consensusWords({ opinions: 4, consensus: 0.9, polarised: false })).toBe('Strong agreement');
    expect(consensusWords({ opinions: 4, consensus: 0.65, polarised: false })).toBe('Broad agreement');
    expect(consensusWords({ opinions: 4, consensus: 0.5, polarised: false })).toBe('Mixed views');
    expect(consensusWords({ opinions: 4, consensus: 0.2, polarised: false })).toBe('Divided views');
    expect(consensusWords({ opinions: 4, consensus: 0.2, polarised: true })).toBe('Views are split between the two ends');
  });
  it('gives a chart its text equivalent', () => {
    const s = { ...base, distribution: [1, 0, 1, 1, 1], consensus: 0.5, polarised: false, verdict: 'contested' as const, cant_say: 2, voters: 6 };
    expect(resultSentence('Purposeful', s)).toBe(
      "Purposeful: 2 say it meets the test (1 clearly, 1 mostly), 1 unsure, 1 say it fails (1 clearly, 0 mostly) and 2 can't say. No clear verdict; mixed views.",
    );
  });
});

describe('diverging bar', () => {
  it('centres the unsure middle on the line, fails to the left and meets to the right', () => {
    const segs = divergingSegments([0, 1, 2, 1, 0]);
    expect(segs.map((s) => [s.left, s.width])).toEqual([
      [25, 0],
      [25, 12.5],
      [37.5, 25],
      [62.5, 12.5],
      [75, 0],
    ]);
    expect(divergingSegments([0, 0, 0, 0, 0])).toEqual([]);
    const all5 = divergingSegments([0, 0, 0, 0, 3]);
    expect(all5[4]).toMatchObject({ left: 50, width: 50 });
    expect(percent(1, 3)).toBe('33%');
  });
});

describe('facilitator controls', () => {
  const ids = (s: SessionView) => controlsFor(s).actions.map((a) => a.id);
  it('offers what each phase allows, and says why the rest is not available', () => {
    expect(ids(session({}))).toEqual(['next_scenario']);
    expect(controlsFor(session({})).actions[0].label).toBe('Open scenario 1: Attendance');
    expect(ids(session({ phase: 'scenario_open', scenario: 's1', round: 1 }))).toEqual([
      'open_all',
      'open_purposeful',
      'open_proportionate',
      'open_responsible',
      'next_scenario',
    ]);
    const open = controlsFor(session({ phase: 'voting_open', scenario: 's1', round: 1, open_tests: ['purposeful'] }));
    expect(open.actions.map((a) => a.label)).toEqual([
      'Close voting on Purposeful',
      'Also open voting on Proportionate',
      'Also open voting on Responsible',
    ]);
    expect(open.blocked.map((b) => b.why)).toContain('Close voting first.');
    expect(ids(session({ phase: 'voting_closed', scenario: 's1', round: 1 }))).toEqual(['reveal', 'open_all', 'next_scenario']);
    const last = controlsFor(session({ phase: 'results_revealed', scenario: 's2', round: 1 }));
    expect(last.actions.map((a) => a.label)).toEqual(['Start round 2: vote again on this scenario']);
    expect(last.note).toMatch(/last scenario/);
    expect(ids(session({ phase: 'ended' }))).toEqual([]);
  });
  it('asks for scenarios when there are none', () => {
    expect(controlsFor(session({ scenarios: [] })).blocked[0].why).toMatch(/Add a scenario/);
  });
});

describe('routes and messages', () => {
  it('reads the client routes the server serves', () => {
    expect(route('/')).toEqual({ view: 'home' });
    expect(route('/join')).toEqual({ view: 'join', code: null });
    expect(route('/join/abc-234')).toEqual({ view: 'join', code: 'ABC234' });
    expect(route('/facilitate/ABC234')).toEqual({ view: 'facilitate', code: 'ABC234' });
    expect(route('/present/ABC234')).toEqual({ view: 'present', code: 'ABC234' });
    expect(route('/new')).toEqual({ view: 'new' });
    expect(route('/facilitate')).toEqual({ view: 'not_found' });
  });
  it('says what is waiting to be sent', () => {
    expect(describeWaiting(['vote'])).toBe('1 answer');
    expect(describeWaiting(['vote', 'comment', 'vote', 'endorse'])).toBe('2 answers, 1 comment and 1 endorsement');
  });
  it('rewrites server errors for people', () => {
    expect(errorText('unknown_session', 'x')).toMatch(/no workshop with that code/);
    expect(errorText('voting_closed', 'voting on Purposeful is not open')).toBe('Voting on Purposeful is not open.');
  });
});

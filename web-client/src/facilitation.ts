// What the facilitator can do next, worked out from the session's phase: every control says what
// will happen. Pure, so the rules are unit-tested without a browser.
import type { Command, SessionView } from './protocol';
import { whichTests } from './words';

export interface Action {
  id: string;
  label: string;
  explain: string;
  command: Command;
  primary?: boolean;
}

export interface Blocked {
  label: string;
  why: string;
}

export interface Controls {
  actions: Action[];
  /** Controls that exist but cannot be used now, with the reason. */
  blocked: Blocked[];
  /** A line for when there is nothing left to do but end. */
  note?: string;
}

function nextScenarioAction(s: SessionView, primary: boolean, skipping: boolean): Action | null {
  const i = s.scenario ? s.scenarios.findIndex((x) => x.id === s.scenario) : -1;
  const next = s.scenarios[i + 1];
  if (!next) return null;
  const used = next.rounds.length > 0;
  return {
    id: 'next_scenario',
    label: `${i < 0 ? 'Open' : 'Move on to'} scenario ${i + 2}: ${next.title}`,
    explain: `Shows "${next.title}" on every screen${used ? ', where it was left' : ' with voting closed'}.${
      skipping ? ' Nobody has voted on the current scenario yet.' : ''
    }`,
    command: { type: 'next_scenario' },
    primary,
  };
}

export function controlsFor(s: SessionView): Controls {
  const tests = s.framework.tests;
  const all = whichTests(s.framework, tests.map((t) => t.id));
  const actions: Action[] = [];
  const blocked: Blocked[] = [];
  const round = s.round ?? 1;
  switch (s.phase) {
    case 'lobby': {
      const next = nextScenarioAction(s, true, false);
      if (next) actions.push(next);
      else blocked.push({ label: 'Open the first scenario', why: 'Add a scenario first (see Scenarios below).' });
      break;
    }
    case 'scenario_open':
      actions.push({
        id: 'open_all',
        label: `Open voting on ${all}`,
        explain: 'Participants can answer on their phones. Results stay hidden until you reveal them.',
        command: { type: 'open_voting' },
        primary: true,
      });
      if (tests.length > 1)
        for (const t of tests)
          actions.push({
            id: `open_${t.id}`,
            label: `Open voting on ${t.name} only`,
            explain: `Participants can answer on ${t.name}; the other tests stay closed.`,
            command: { type: 'open_voting', test: t.id },
          });
      {
        const next = nextScenarioAction(s, false, true);
        if (next) actions.push(next);
      }
      break;
    case 'voting_open': {
      const closedTests = tests.filter((t) => !s.open_tests.includes(t.id));
      actions.push({
        id: 'close_all',
        label: s.open_tests.length === tests.length ? `Close voting on ${all}` : `Close voting on ${whichTests(s.framework, s.open_tests).replace(/ only$/, '')}`,
        explain: 'Stops new answers. Results stay hidden until you reveal them.',
        command: { type: 'close_voting' },
        primary: true,
      });
      if (s.open_tests.length > 1)
        for (const id of s.open_tests) {
          const t = tests.find((x) => x.id === id)!;
          actions.push({
            id: `close_${t.id}`,
            label: `Close voting on ${t.name} only`,
            explain: `Stops answers on ${t.name}; the others stay open.`,
            command: { type: 'close_voting', test: t.id },
          });
        }
      for (const t of closedTests)
        actions.push({
          id: `open_${t.id}`,
          label: `Also open voting on ${t.name}`,
          explain: `Participants can answer on ${t.name} too.`,
          command: { type: 'open_voting', test: t.id },
        });
      blocked.push({ label: 'Reveal the results', why: 'Close voting first.' });
      blocked.push({ label: 'Move on to the next scenario', why: 'Close voting first.' });
      break;
    }
    case 'voting_closed': {
      actions.push({
        id: 'reveal',
        label: round > 1 ? `Reveal the results of round ${round}` : 'Reveal the results',
        explain: 'Shows the results on every phone and on the projector. This round cannot be reopened afterwards.',
        command: { type: 'reveal' },
        primary: true,
      });
      actions.push({
        id: 'open_all',
        label: `Reopen voting on ${all}`,
        explain: 'Lets people answer, or change their answers, again before you reveal.',
        command: { type: 'open_voting' },
      });
      const next = nextScenarioAction(s, false, false);
      if (next) actions.push({ ...next, explain: `${next.explain} The results of this round stay hidden.` });
      break;
    }
    case 'results_revealed': {
      actions.push({
        id: 'new_round',
        label: `Start round ${round + 1}: vote again on this scenario`,
        explain: `After discussing the results, everyone answers again. Round ${round}'s results stay on record.`,
        command: { type: 'new_round' },
      });
      const next = nextScenarioAction(s, true, false);
      if (next) actions.push(next);
      break;
    }
    case 'ended':
      break;
  }
  const note =
    s.phase === 'results_revealed' && !actions.some((a) => a.id === 'next_scenario')
      ? 'This was the last scenario. End the session when you are ready.'
      : undefined;
  return { actions, blocked, note };
}

export function describeRoomSize(joined: number, connected: number): string {
  if (joined === 0) return 'Nobody has joined yet.';
  return `${joined} joined, ${connected} connected now.`;
}


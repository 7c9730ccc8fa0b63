'use strict';
// The subset of Quorum's protocol that quorum-load speaks (protocol/PROTOCOL.md), written the way a
// capable Node.js developer would: one process, the `ws` package, every vote kept in memory and
// acknowledged at once. Nothing is written to disk, so an acknowledged vote is lost if the process
// dies; Quorum commits it to SQLite first.
//
// The wire is kept the same as Quorum's for this subset so the driver measures the same work: the
// voting connection gets an `ack` with `seq` (its other connections a `vote_cast` event);
// progress has the same shape.
// `mode` is the one difference between the two peers:
//   naive       every vote sends the new tally to every connection of the session at once;
//   coalescing  a 100 ms tick sends it to facilitators, every fifth tick to participants, only
//               when something changed (what Quorum does).

const http = require('node:http');
const crypto = require('node:crypto');
const { WebSocketServer } = require('ws');

const TESTS = ['purposeful', 'proportionate', 'responsible'];
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function makeCode() {
  let code = '';
  for (const b of crypto.randomBytes(6)) code += CODE_ALPHABET[b % CODE_ALPHABET.length];
  return code;
}

function newTally(areaCount) {
  return { distribution: [0, 0, 0, 0, 0], cantSay: 0, voters: 0, byArea: new Array(areaCount).fill(0) };
}

function stats(t) {
  const opinions = t.distribution.reduce((a, b) => a + b, 0);
  let mean = null;
  let median = null;
  if (opinions > 0) {
    let sum = 0;
    t.distribution.forEach((n, i) => { sum += n * (i + 1); });
    mean = Math.round((sum / opinions) * 1000) / 1000;
    const middle = (opinions + 1) / 2;
    let seen = 0;
    let lower = null;
    let upper = null;
    for (let i = 0; i < 5; ++i) {
      seen += t.distribution[i];
      if (lower === null && seen >= Math.floor(middle)) lower = i + 1;
      if (upper === null && seen >= Math.ceil(middle)) upper = i + 1;
    }
    median = (lower + upper) / 2;
  }
  return { voters: t.voters, opinions, cant_say: t.cantSay, distribution: t.distribution, median, mean };
}

class Session {
  constructor(code, token, config) {
    this.code = code;
    this.tokenHash = crypto.createHash('sha256').update(token).digest('hex');
    this.title = config.title;
    this.areas = config.areas;
    this.scenarios = (config.scenarios || []).map((s, i) => ({ id: `s${i + 1}`, title: s.title }));
    this.seq = 1;
    this.current = null; // { scenario, open: Set, tallies: [..], votes: Map(participant -> [value per test]) }
    this.rounds = []; // every round voting started in, for the summary
    this.participants = []; // { id, area, tokenHash, clientIds: Set }
    this.comments = 0;
    this.facilitators = new Set();
    this.members = new Set(); // participant connections
    this.connectedByArea = new Array(this.areas.length).fill(0);
    this.facDirty = true;
    this.partDirty = true;
  }

  progress(facilitator) {
    const joined = this.participants.length;
    let connected = 0;
    for (const n of this.connectedByArea) connected += n;
    const participants = { joined, voters: joined, connected };
    if (facilitator) {
      const joinedByArea = new Array(this.areas.length).fill(0);
      for (const p of this.participants) joinedByArea[p.area]++;
      participants.by_area = this.areas.map((area, i) => ({ area, joined: joinedByArea[i], connected: this.connectedByArea[i] }));
    }
    const out = { type: 'progress', seq: this.seq, participants };
    const r = this.current;
    if (!r) return out;
    out.scenario = r.scenario;
    out.round = 1;
    out.tests = TESTS.map((test, t) => {
      const tally = r.tallies[t];
      const entry = { test, voted: tally.voters };
      if (facilitator) {
        entry.by_area = this.areas.map((area, i) => ({ area, voted: tally.byArea[i] }));
        entry.results = stats(tally);
      }
      return entry;
    });
    return out;
  }

  snapshot(facilitator, participant) {
    const r = this.current;
    const out = {
      type: 'snapshot',
      seq: this.seq,
      session: {
        code: this.code,
        title: this.title,
        areas: this.areas,
        scenarios: this.scenarios,
        phase: r ? (r.open.size ? 'voting' : 'discussion') : 'lobby',
        scenario: r ? r.scenario : null,
        round: r ? 1 : null,
        open_tests: r ? [...r.open] : [],
      },
      progress: this.progress(facilitator),
    };
    delete out.progress.type;
    if (facilitator) out.you = { role: 'facilitator' };
    else out.you = { participant: participant.id, role: 'participant' };
    return out;
  }

  summary() {
    return {
      seq: this.seq,
      session: { code: this.code, title: this.title, areas: this.areas, scenarios: this.scenarios },
      participants: this.participants.length,
      comments: this.comments,
      results: this.rounds.map((r) => ({
        scenario: r.scenario,
        round: 1,
        tests: TESTS.map((test, t) => ({ test, ...stats(r.tallies[t]) })),
      })),
    };
  }
}

function startPeer(mode) {
  const sessions = new Map();
  const port = Number(process.env.PORT || 0);

  const server = http.createServer((req, res) => {
    const reply = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const path = req.url.split('?')[0];
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path === '/api/sessions' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        let config;
        try { config = JSON.parse(body); } catch { return reply(400, { error: 'bad_json' }); }
        if (!Array.isArray(config.areas) || config.areas.length === 0) return reply(400, { error: 'bad_message' });
        let code;
        do code = makeCode(); while (sessions.has(code));
        const token = crypto.randomBytes(16).toString('hex');
        sessions.set(code, new Session(code, token, config));
        reply(201, { code, facilitator_token: token });
      });
      return undefined;
    }
    if (path.startsWith('/api/sessions/') && req.method === 'GET') {
      const s = sessions.get(path.slice('/api/sessions/'.length).toUpperCase());
      const auth = req.headers.authorization || '';
      if (!auth.startsWith('Bearer ')) return reply(401, { error: 'unauthorised' });
      const hash = crypto.createHash('sha256').update(auth.slice(7)).digest('hex');
      if (!s || hash !== s.tokenHash) return reply(403, { error: 'forbidden' });
      return reply(200, s.summary());
    }
    return reply(404, { error: 'not_found' });
  });

  const wss = new WebSocketServer({ server, path: '/ws', perMessageDeflate: false, maxPayload: 16 * 1024 });

  function send(ws, message) {
    if (ws.readyState === ws.OPEN) ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  function broadcastProgress(s, toFacilitators, toParticipants) {
    if (toFacilitators && s.facilitators.size) {
      const text = JSON.stringify(s.progress(true));
      for (const ws of s.facilitators) send(ws, text);
    }
    if (toParticipants && s.members.size) {
      const text = JSON.stringify(s.progress(false));
      for (const ws of s.members) send(ws, text);
    }
  }

  function broadcastEvent(s, event) {
    const text = JSON.stringify(event);
    for (const ws of s.facilitators) send(ws, text);
    for (const ws of s.members) send(ws, text);
  }

  // Something in the session changed. The naive peer sends the new tally to everyone at once
  // (for votes, comments and phase changes; joins only mark it, as the tally is unchanged).
  function changed(s, tallyChanged = true) {
    s.facDirty = true;
    s.partDirty = true;
    if (mode === 'naive' && tallyChanged) broadcastProgress(s, true, true);
  }

  const error = (ws, req, code, message) => send(ws, { type: 'error', req, code, message });
  const ack = (ws, req, seq) => send(ws, seq === undefined ? { type: 'ack', req, duplicate: true } : { type: 'ack', req, seq });

  function facilitatorCommand(ws, s, m, req) {
    const at = Date.now();
    switch (m.type) {
      case 'open_scenario': {
        if (!s.scenarios.some((x) => x.id === m.scenario)) return error(ws, req, 'unknown_scenario', 'no such scenario');
        s.current = { scenario: m.scenario, open: new Set(), tallies: TESTS.map(() => newTally(s.areas.length)), votes: new Map() };
        const seq = ++s.seq;
        broadcastEvent(s, { type: 'event', event: 'scenario_opened', seq, at, scenario: m.scenario });
        ack(ws, req, seq);
        return changed(s);
      }
      case 'open_voting':
      case 'close_voting': {
        if (!s.current) return error(ws, req, 'invalid_phase', 'no scenario is open');
        const tests = m.test ? [m.test] : TESTS;
        for (const t of tests) if (m.type === 'open_voting') s.current.open.add(t); else s.current.open.delete(t);
        if (m.type === 'open_voting' && !s.rounds.includes(s.current)) s.rounds.push(s.current);
        const seq = ++s.seq;
        broadcastEvent(s, { type: 'event', event: m.type === 'open_voting' ? 'voting_opened' : 'voting_closed', seq, at, tests });
        ack(ws, req, seq);
        return changed(s);
      }
      default:
        return error(ws, req, 'not_participant', 'only participants can do that');
    }
  }

  function participantCommand(ws, s, me, m, req) {
    const at = Date.now();
    switch (m.type) {
      case 'vote': {
        const value = m.value === 'cant_say' ? 0 : m.value;
        if (!(Number.isInteger(value) && value >= 0 && value <= 5)) return error(ws, req, 'bad_message', 'bad value');
        if (m.client_id && me.clientIds.has(m.client_id)) return ack(ws, req);
        const r = s.current;
        const t = TESTS.indexOf(m.test);
        if (t < 0) return error(ws, req, 'unknown_test', 'no such test');
        if (!r || r.scenario !== m.scenario) return error(ws, req, 'not_current_scenario', 'voting is not open on this scenario');
        if (!r.open.has(m.test)) return error(ws, req, 'voting_closed', 'voting is not open');
        let mine = r.votes.get(me.id);
        if (!mine) { mine = [-1, -1, -1]; r.votes.set(me.id, mine); }
        const old = mine[t];
        if (old === value) return ack(ws, req);
        const tally = r.tallies[t];
        if (old === -1) { tally.voters++; tally.byArea[me.area]++; } else if (old === 0) tally.cantSay--; else tally.distribution[old - 1]--;
        if (value === 0) tally.cantSay++; else tally.distribution[value - 1]++;
        mine[t] = value;
        if (m.client_id) me.clientIds.add(m.client_id);
        const seq = ++s.seq;
        if (me.connections.size > 1) {
          const event = JSON.stringify({ type: 'event', event: 'vote_cast', seq, at, scenario: m.scenario, round: 1, test: m.test, value: m.value });
          for (const other of me.connections) if (other !== ws) send(other, event);
        }
        ack(ws, req, seq);
        return changed(s);
      }
      case 'comment': {
        if (typeof m.text !== 'string' || m.text.length === 0) return error(ws, req, 'bad_message', 'a comment needs text');
        if (m.client_id && me.clientIds.has(m.client_id)) return ack(ws, req);
        if (m.client_id) me.clientIds.add(m.client_id);
        const seq = ++s.seq;
        const id = ++s.comments;
        broadcastEvent(s, { type: 'event', event: 'comment_added', seq, at, comment: { id, scenario: m.scenario, test: m.test || null, kind: m.kind, text: m.text, author: `P${me.id}` } });
        ack(ws, req, seq);
        return changed(s);
      }
      default:
        return error(ws, req, 'not_facilitator', 'only the facilitator can do that');
    }
  }

  wss.on('connection', (ws) => {
    let session = null;
    let me = null; // participant record, or null for the facilitator
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'binary frames are not supported');
      let m;
      try { m = JSON.parse(data); } catch { return error(ws, null, 'bad_json', 'the message is not valid JSON'); }
      const req = m.req === undefined ? null : m.req;
      if (m.type === 'ping') return send(ws, { type: 'pong', req });
      if (m.type === 'join' || m.type === 'facilitate') {
        if (session) return error(ws, req, 'already_joined', 'this connection is already in a session');
        const s = sessions.get(String(m.code).toUpperCase());
        if (!s) return error(ws, req, 'unknown_session', 'no such session');
        if (m.type === 'facilitate') {
          if (crypto.createHash('sha256').update(String(m.token)).digest('hex') !== s.tokenHash) return error(ws, req, 'bad_token', 'bad token');
          session = s;
          s.facilitators.add(ws);
          send(ws, { type: 'welcome', req, protocol: 1, session: s.code, role: 'facilitator' });
          send(ws, s.snapshot(true));
          s.facDirty = true;
          return undefined;
        }
        const area = s.areas.indexOf(m.area);
        if (area < 0) return error(ws, req, 'unknown_area', 'no such area');
        const token = crypto.randomBytes(16).toString('hex');
        me = { id: s.participants.length + 1, area, name: m.name || '', clientIds: new Set(), connections: new Set([ws]) };
        s.participants.push(me);
        session = s;
        s.members.add(ws);
        s.connectedByArea[area]++;
        const seq = ++s.seq;
        for (const f of s.facilitators) send(f, { type: 'event', event: 'participant_joined', seq, participant: me.id, area: m.area });
        send(ws, { type: 'welcome', req, protocol: 1, session: s.code, role: 'participant', participant: me.id, pseudonym: `P${me.id}`, token });
        send(ws, s.snapshot(false, me));
        return changed(s, false);
      }
      if (!session) return error(ws, req, 'not_joined', 'join a session first');
      if (me) return participantCommand(ws, session, me, m, req);
      return facilitatorCommand(ws, session, m, req);
    });
    ws.on('close', () => {
      if (!session) return;
      if (me) {
        session.members.delete(ws);
        me.connections.delete(ws);
        session.connectedByArea[me.area]--;
      } else {
        session.facilitators.delete(ws);
      }
      session.facDirty = session.partDirty = true;
    });
    ws.on('error', () => {});
  });

  if (mode === 'coalescing') {
    let ticks = 0;
    setInterval(() => {
      ++ticks;
      for (const s of sessions.values()) {
        const participantsTurn = ticks % 5 === 0 && s.partDirty;
        if (!s.facDirty && !participantsTurn) continue;
        broadcastProgress(s, s.facDirty, participantsTurn);
        s.facDirty = false;
        if (participantsTurn) s.partDirty = false;
      }
    }, 100);
  }

  server.listen(port, '127.0.0.1', () => {
    console.log(`${mode} peer is running at http://127.0.0.1:${server.address().port}`);
  });
  const stop = () => { wss.clients.forEach((ws) => ws.terminate()); server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 500).unref(); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

module.exports = { startPeer };

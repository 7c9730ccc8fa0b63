#!/usr/bin/env node
'use strict';
// The coalescing peer: marks the tally changed on a vote and sends it on a 100 ms tick to
// facilitators and every 500 ms to participants, as Quorum does, but keeps votes only in memory.
// PORT=0 node coalescing.js  → prints "coalescing peer is running at http://127.0.0.1:PORT".
require('./peer-server').startPeer('coalescing');

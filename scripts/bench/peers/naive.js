#!/usr/bin/env node
'use strict';
// The naive peer: sends the whole tally to every connection of the session on every vote.
// PORT=0 node naive.js  → prints "naive peer is running at http://127.0.0.1:PORT".
require('./peer-server').startPeer('naive');

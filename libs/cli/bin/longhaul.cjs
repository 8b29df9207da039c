#!/usr/bin/env node
// The `longhaul` command. A checked-in file (executable in git), so the bin link works before
// `tsc -b` has built dist/ and in the image without a chmod.
require('../dist/main.js');

#!/usr/bin/env node
// npm `bin` entry: the compiled CLI lives in dist/ (`npm run build`).
import '../dist/cli/index.js';

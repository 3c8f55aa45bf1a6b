#!/usr/bin/env node
// npm `bin` entry: the compiled CLI lives in dist/ (`npm run build`).
import { main } from '../dist/cli/index.js';

process.exitCode = await main(process.argv.slice(2));

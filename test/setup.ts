// Runs in every test file (vitest setupFiles): the temp folders test/helpers.ts made go when the file's tests end.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

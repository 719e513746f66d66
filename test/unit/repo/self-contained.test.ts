// A fresh clone must test green on its own: nothing under src/ or test/ may point at the project's
// reference folder outside the repository (the golden vectors live in test/fixtures/vectors).

import { describe, expect, it } from 'vitest';
import { readTree, repoPathOf } from '../../fixtures/source-tree.js';

const OUTSIDE_REFERENCES = ['../shared', 'shared/vectors', '/work/shared'];

// This file names the forbidden references, so it is the one file not scanned.
const files = readTree('src', 'test').filter((file) => file.path !== repoPathOf(import.meta.url));

describe('the source and test trees are self-contained', () => {
  it('scans both trees', () => {
    expect(files.filter((file) => file.path.startsWith('src/')).length).toBeGreaterThan(50);
    expect(files.filter((file) => file.path.startsWith('test/')).length).toBeGreaterThan(30);
    expect(files.map((file) => file.path)).toContain('test/fixtures/vectors/signing.json');
  });

  it.each(OUTSIDE_REFERENCES)('no file refers to %s', (reference) => {
    expect(files.filter((file) => file.text.includes(reference)).map((file) => file.path)).toEqual([]);
  });
});

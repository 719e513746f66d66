// Every protocol citation in src/ and test/ must land on a section of docs/standx-protocol.md, so a
// later edit of the document (or of a comment) cannot leave a citation pointing nowhere. By
// convention a § number anywhere in these trees cites that document, alone or in a list (`§4/§5`).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, REPO_ROOT } from '../../fixtures/source-tree.js';

const DOC_PATH = 'docs/standx-protocol.md';
const doc = readFileSync(join(REPO_ROOT, DOC_PATH), 'utf8');

interface Citation {
  readonly section: string;
  /** `path:line` of the citation. */
  readonly where: string;
  /** The numbered step cited with it (`§2.1 step 4`), if any. */
  readonly step?: number;
}

/** Numbers of the document's section headings: "## 4. HTTP …" → "4", "### 10.5 Depth …" → "10.5". */
function sectionHeadings(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,6} (\d+(?:\.\d+)*)\.? /.exec(line);
    if (heading?.[1] !== undefined) {
      current = heading[1];
      sections.set(current, '');
    } else if (current !== undefined) {
      sections.set(current, `${sections.get(current) ?? ''}${line}\n`);
    }
  }
  return sections;
}

function citationsIn(path: string, text: string): Citation[] {
  const found: Citation[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/§(\d+(?:\.\d+)*)(?: steps? (\d+))?/g)) {
      const section = match[1];
      if (section === undefined) continue;
      const where = `${path}:${index + 1}`;
      found.push(match[2] === undefined ? { section, where } : { section, where, step: Number(match[2]) });
    }
  });
  return found;
}

const sections = sectionHeadings(doc);
const files = readTree('src', 'test');
const citations = files.flatMap((file) => citationsIn(file.path, file.text));
const citedSections = [...new Set(citations.map((citation) => citation.section))].sort();
const stepCitations = citations.filter((citation) => citation.step !== undefined);

describe(`protocol citations resolve in ${DOC_PATH}`, () => {
  it('reads the numbered sections and finds the citations', () => {
    expect([...sections.keys()]).toEqual(expect.arrayContaining(['1', '2.1', '2.2', '4', '10', '10.1', '10.12', '11']));
    expect(citations.length).toBeGreaterThan(80);
    expect(files.some((file) => /protocol §\d/i.test(file.text))).toBe(true);
  });

  it.each(citedSections)('§%s is a section heading', (section) => {
    const where = citations.filter((citation) => citation.section === section).map((citation) => citation.where);
    expect(sections.has(section), `cited at ${where.join(', ')}`).toBe(true);
  });

  it.each(stepCitations.map((citation) => [`${citation.where}: §${citation.section} step ${String(citation.step)}`, citation] as const))(
    '%s is a numbered step of its section',
    (_label, { section, step }) => {
      expect(sections.get(section) ?? '').toMatch(new RegExp(`^${String(step)}\\. `, 'm'));
    },
  );

  it('names the document by its repository path wherever it is named', () => {
    const namings = files.flatMap((file) =>
      [...file.text.matchAll(/[\w./-]*standx-protocol\.md/g)].map((match) => ({ path: file.path, name: match[0] })),
    );
    expect(namings.filter((naming) => naming.name !== DOC_PATH)).toEqual([]);
  });
});

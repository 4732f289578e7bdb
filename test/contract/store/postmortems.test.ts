import { describe, expect, it } from 'vitest';
import { declare, later } from './fixtures.js';
import { storePerTest, stores } from './stores.js';

describe.each(stores)('$name store: postmortem drafts', (factory) => {
  const store = storePerTest(factory);

  it('numbers an incident’s drafts from 1, each replacing the last', async () => {
    const a = await declare(store());
    const b = await declare(store());
    expect(await store().postmortems.get(a.id)).toBeUndefined();
    expect(await store().postmortems.saveDraft(a.id, '# INC-1\n\nfirst', later(0))).toBe(1);
    expect(await store().postmortems.saveDraft(a.id, '# INC-1\n\nsecond', later(1_000))).toBe(2);
    expect(await store().postmortems.saveDraft(b.id, '# INC-2', later(2_000))).toBe(1);
    expect(await store().postmortems.saveDraft(a.id, '# INC-1\n\nthird — with “quotes” and 🚒', later(3_000))).toBe(3);
    expect(await store().postmortems.get(a.id)).toMatchObject({ markdown: '# INC-1\n\nthird — with “quotes” and 🚒', version: 3, canvasId: null, fileId: null, canvasVersion: null });
    expect(await store().postmortems.get(b.id)).toMatchObject({ markdown: '# INC-2', version: 1 });
  });

  it('records where a version was published, and keeps it through later drafts', async () => {
    const { id } = await declare(store());
    await store().postmortems.saveDraft(id, 'v1', later(0));
    await store().postmortems.recordCanvas(id, 'F0CANVAS', 1);
    await store().postmortems.saveDraft(id, 'v2', later(1_000));
    expect(await store().postmortems.get(id)).toMatchObject({ markdown: 'v2', version: 2, canvasId: 'F0CANVAS', canvasVersion: 1 });
    await store().postmortems.recordCanvas(id, 'F0CANVAS', 2);
    await store().postmortems.recordFile(id, 'F0FILE', 2);
    expect(await store().postmortems.get(id)).toMatchObject({ canvasId: 'F0CANVAS', canvasVersion: 2, fileId: 'F0FILE' });
  });

  it('gives each of several drafts saved at once a version of its own', async () => {
    const { id } = await declare(store());
    const versions = await Promise.all(Array.from({ length: 5 }, (_, i) => store().transaction(async (tx) => tx.postmortems.saveDraft(id, `draft ${i}`, later(i)))));
    expect(versions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect((await store().postmortems.get(id))?.version).toBe(5);
  });
});

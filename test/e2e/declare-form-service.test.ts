import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../../src/slack/ids.js';
import { Harness } from '../support/harness.js';
import { count } from '../support/store-sql.js';
import { interactivityBody, viewSubmissionPayload } from '../support/signed-requests.js';
import { CHECKOUT_AVAILABILITY_SLO_FILE } from '../support/slo-fixtures.js';

/**
 * The form's service select offers the catalog as it was when the form
 * opened; the catalog can change before it is submitted (a restart with other
 * SLO files). A service no longer known is a field error in the form, like a
 * missing title, not a closed form and a DM saying nothing was declared.
 */
describe('the declare form with a service the catalog no longer knows', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'declare-form-service-'));
    writeFileSync(join(dir, 'checkout.yaml'), CHECKOUT_AVAILABILITY_SLO_FILE);
    h = await Harness.start({ env: { SLO_FILES: join(dir, 'checkout.yaml') } });
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const values = (service: string) => ({
    [BLOCK_IDS.title]: { [ACTION_IDS.title]: { type: 'plain_text_input', value: 'Billing down' } },
    [BLOCK_IDS.severity]: { [ACTION_IDS.severity]: { type: 'static_select', selected_option: { value: 'sev2' } } },
    [BLOCK_IDS.service]: { [ACTION_IDS.service]: { type: 'static_select', selected_option: { value: service } } },
  });

  it('answers in the form on the service field and declares nothing', async () => {
    const res = await h.interact(interactivityBody(viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values('billing'), '{"originChannelId":null}')));
    expect(res.status).toBe(200);
    const answer = res.json() as { response_action: string; errors: Record<string, string> };
    expect(answer.response_action).toBe('errors');
    expect(Object.keys(answer.errors)).toEqual([BLOCK_IDS.service]);
    expect(answer.errors[BLOCK_IDS.service]).toContain('"billing" is not a service with SLOs');
    // Slack shows a field error as plain text, on one line.
    expect(answer.errors[BLOCK_IDS.service]).not.toContain('\n');
    await h.settle();
    expect(await count(h, 'select count(*) n from incidents')).toBe(0);
    expect(h.slack.channels.get('D0CAROL')?.messages ?? []).toHaveLength(0);
  });

  it('still declares with a service the catalog knows', async () => {
    const res = await h.interact(interactivityBody(viewSubmissionPayload('U0CAROL', CALLBACK_IDS.declareModal, values('checkout-api'), '{"originChannelId":null}')));
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    await h.settle();
    expect((await h.bot.store.incidents.get(1))!.service).toBe('checkout-api');
  });
});

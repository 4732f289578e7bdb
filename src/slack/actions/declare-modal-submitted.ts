import type { App } from '@slack/bolt';
import { validateTitle } from '../../domain/command-parser.js';
import { declareIncident } from '../../domain/declare.js';
import { requireKnownService } from '../../domain/service-link.js';
import { isDomainError } from '../../domain/errors.js';
import { SEVERITIES, type Severity } from '../../domain/model.js';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../ids.js';
import { parseDeclareModalMetadata } from '../metadata.js';
import type { SlackServices } from '../services.js';
import { AlreadyApplied, oncePerDelivery } from '../commands/once-per-delivery.js';

type Values = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null; selected_options?: { value: string }[] }>>;

/**
 * The declare form was submitted. Field problems are answered in the form
 * itself (response_action: errors) before it closes; a valid form closes at
 * once the incident is recorded, once however often the submission arrives.
 */
export function registerDeclareModal(app: App, services: SlackServices): void {
  app.view(CALLBACK_IDS.declareModal, async ({ ack, view, body }) => {
    const values = view.state.values as Values;
    const rawTitle = values[BLOCK_IDS.title]?.[ACTION_IDS.title]?.value ?? '';
    const severity = values[BLOCK_IDS.severity]?.[ACTION_IDS.severity]?.selected_option?.value;
    const description = values[BLOCK_IDS.description]?.[ACTION_IDS.description]?.value ?? null;
    const service = values[BLOCK_IDS.service]?.[ACTION_IDS.service]?.selected_option?.value ?? null;
    const isPrivate = (values[BLOCK_IDS.privacy]?.[ACTION_IDS.privacy]?.selected_options ?? []).some((o) => o.value === 'private');

    const errors: Record<string, string> = {};
    let title = '';
    try {
      title = validateTitle(rawTitle);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      errors[BLOCK_IDS.title] = error.userMessage.split('\n')[0]!;
    }
    if (!severity || !(SEVERITIES as readonly string[]).includes(severity)) errors[BLOCK_IDS.severity] = 'Choose a severity.';
    // The select offered the catalog as it was when the form opened; it may have changed since
    // (a restart with other SLO files). Refused here, the form stays open on the field to fix.
    if (service) {
      try {
        requireKnownService(services.deps.slo, service);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors[BLOCK_IDS.service] = error.userMessage.split('\n')[0]!;
      }
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const metadata = parseDeclareModalMetadata(view.private_metadata);
    // One submission sent twice (a proxy's retry, to this replica or another) declares once: its
    // trigger_id is recorded with the declaration. A form resubmitted after errors has a new one.
    // Bolt hands this listener submissions only; a view_closed body (no trigger_id) is in its type alone.
    const triggerId = body.type === 'view_submission' ? body.trigger_id : view.id;
    const once = oncePerDelivery(services, `view:${triggerId}`, services.deps.clock.now());
    try {
      // Recorded before the form closes: a crash after the ack loses no declaration.
      await declareIncident(
        once.deps,
        { type: 'slack', userId: body.user.id, teamId: body.user.team_id ?? body.team?.id ?? '' },
        { severity: severity as Severity, title, description, isPrivate, originChannelId: metadata.originChannelId, service, declaredVia: 'form' },
      );
    } catch (error) {
      await ack();
      // Declared already, by the first delivery: that one closed the form.
      if (error instanceof AlreadyApplied) return;
      throw error;
    }
    await ack();
  });
}

import type { types } from '@slack/bolt';
import { MAX_TEXT_LENGTH, MAX_TITLE_LENGTH } from '../../domain/command-parser.js';
import { SEVERITIES, SEVERITY_MEANING } from '../../domain/model.js';
import { ACTION_IDS, BLOCK_IDS, CALLBACK_IDS } from '../ids.js';
import type { DeclareModalMetadata } from '../metadata.js';

/** Slack's cap on a static select's options. */
const MAX_OPTIONS = 100;

/**
 * The optional "Affected service" select, offered when SLOs are configured:
 * the catalog's services (the first 100; `/incident service` takes any).
 */
function serviceBlock(services: readonly string[]): types.KnownBlock[] {
  if (services.length === 0) return [];
  return [
    {
      type: 'input',
      block_id: BLOCK_IDS.service,
      optional: true,
      label: { type: 'plain_text', text: 'Affected service' },
      hint: { type: 'plain_text', text: 'Its SLOs say what this incident costs in error budget.' },
      element: {
        type: 'static_select',
        action_id: ACTION_IDS.service,
        placeholder: { type: 'plain_text', text: 'Pick a service' },
        options: services.slice(0, MAX_OPTIONS).map((s) => ({ text: { type: 'plain_text' as const, text: s.slice(0, 75) }, value: s.slice(0, 150) })),
      },
    },
  ];
}

/** The form `/incident` opens: title, severity, affected service (with SLOs), impact, private or not. */
export function declareModal(metadata: DeclareModalMetadata, services: readonly string[] = []): types.View {
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.declareModal,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: 'Declare an incident' },
    submit: { type: 'plain_text', text: 'Declare' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BLOCK_IDS.title,
        label: { type: 'plain_text', text: 'Title' },
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.title,
          max_length: MAX_TITLE_LENGTH,
          placeholder: { type: 'plain_text', text: 'Checkout errors spiking' },
        },
      },
      {
        type: 'input',
        block_id: BLOCK_IDS.severity,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: ACTION_IDS.severity,
          options: SEVERITIES.map((s) => ({
            text: { type: 'plain_text' as const, text: `${s.toUpperCase()}: ${SEVERITY_MEANING[s]}` },
            value: s,
          })),
        },
      },
      ...serviceBlock(services),
      {
        type: 'input',
        block_id: BLOCK_IDS.description,
        optional: true,
        label: { type: 'plain_text', text: 'Impact' },
        element: {
          type: 'plain_text_input',
          action_id: ACTION_IDS.description,
          multiline: true,
          // What the bot accepts, so the header's impact is never longer than the limits were checked for.
          max_length: MAX_TEXT_LENGTH,
          placeholder: { type: 'plain_text', text: 'Who or what is affected, and how badly' },
        },
      },
      {
        type: 'input',
        block_id: BLOCK_IDS.privacy,
        optional: true,
        label: { type: 'plain_text', text: 'Visibility' },
        element: {
          type: 'checkboxes',
          action_id: ACTION_IDS.privacy,
          options: [{ text: { type: 'plain_text', text: 'Private incident (private channel)' }, value: 'private' }],
        },
      },
    ],
  };
}

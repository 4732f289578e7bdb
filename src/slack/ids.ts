/** Action, callback and block ids in one place, so listeners and views agree. */
export const CALLBACK_IDS = {
  declareModal: 'incident_declare_modal',
} as const;

export const BLOCK_IDS = {
  title: 'title',
  severity: 'severity',
  description: 'description',
  privacy: 'privacy',
  service: 'service',
} as const;

/** Buttons on messages: the header's Resolve, the listings' Done. */
export const BUTTON_IDS = {
  resolve: 'incident_resolve',
  actionDone: 'action_item_done',
  actionSnooze: 'action_item_snooze',
  /** On the reply to `/incident postmortem`: write the new draft over the canvas the team edited. */
  replaceCanvas: 'postmortem_replace_canvas',
  /** On an alert-declared incident's header while nobody leads it. */
  takeIc: 'incident_take_ic',
  /** On a notify-only alert's notice. */
  alertDeclare: 'alert_declare',
  /** On the offer to merge a second alert group of the same problem into an open incident. */
  alertMerge: 'alert_merge',
  /** On the same offer: the second group is another problem after all; it gets an incident of its own. */
  alertDeclareSeparately: 'alert_declare_separately',
  /** On the offer to reopen an incident whose alerts fired again soon after its resolve. */
  alertReopen: 'alert_reopen',
  /** On the App Home tab: trusted as the view's own, and only for the viewer's own follow-ups. */
  homeActionDone: 'home_action_item_done',
  homeActionSnooze: 'home_action_item_snooze',
} as const;

export const ACTION_IDS = {
  title: 'title_input',
  severity: 'severity_select',
  description: 'description_input',
  privacy: 'privacy_checkbox',
  service: 'service_select',
} as const;

/** Metadata event types the bot puts on its own messages, to find them again after a crash. */
export const METADATA_TYPES = {
  header: 'incident_header',
  post: 'incident_bot_post',
  digest: 'incident_digest',
} as const;

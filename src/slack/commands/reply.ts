/** What a command answers the person who typed it, ephemerally, once Slack is acknowledged. */
export interface Reply {
  readonly text: string;
  readonly blocks?: unknown[];
}

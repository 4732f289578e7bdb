/**
 * Finds phrases that assign blame in what the team recorded, each with a
 * neutral rewording, so the review starts from "what allowed this?" rather
 * than "who did this?".
 */
export interface BlameFinding {
  readonly phrase: string;
  readonly where: string;
  readonly suggestion: string;
}

interface Rule {
  readonly pattern: RegExp;
  readonly suggestion: string;
}

const PERSON = String.raw`<@[UW][A-Z0-9]+>`;

const RULES: readonly Rule[] = [
  { pattern: /\bhuman errors?\b/i, suggestion: 'Describe the step and what let it go wrong: "the manual step had no check that would catch …"' },
  { pattern: /\bshould(?:n't| not)? have\b/i, suggestion: 'Say what would have helped: "a check for … would have caught this"' },
  { pattern: /\bfailed to\b/i, suggestion: 'Say what happened: "did not …", and ask what made it likely' },
  { pattern: /\bcareless(?:ly|ness)?\b/i, suggestion: 'Name the pressure or the missing safeguard: "under time pressure, without a review step"' },
  { pattern: /\bnegligen(?:t|ce)\b/i, suggestion: 'Name the missing safeguard instead of judging a person' },
  { pattern: /\b(?:his|her|their) (?:fault|mistake)\b|\bfault of\b|\bto blame\b|\bblamed?\b/i, suggestion: 'Describe the conditions that allowed the event, not whose fault it was' },
  { pattern: /\bforgot(?:ten)? to\b/i, suggestion: 'Say what the process did not prompt for: "the checklist had no step for …"' },
  { pattern: /\b(?:should|must) (?:be|get) (?:fired|disciplined|punished)\b/i, suggestion: 'Leave consequences for people out of the postmortem' },
  {
    pattern: new RegExp(`${PERSON}\\s+(?:broke|caused|messed up|screwed up|forgot|ignored|deleted|dropped)\\b`, 'i'),
    suggestion: 'Refer to the change or the role, not the person: "deploy 4812 removed …"',
  },
  {
    pattern: new RegExp(`\\b(?:caused|broken|started) by ${PERSON}`, 'i'),
    suggestion: 'Refer to the change or the role, not the person: "caused by deploy 4812"',
  },
];

/** Every blameful phrase in `texts` (label → text), in the order found. */
export function findBlame(texts: readonly { where: string; text: string }[]): BlameFinding[] {
  const findings: BlameFinding[] = [];
  for (const { where, text } of texts) {
    for (const rule of RULES) {
      const match = rule.pattern.exec(text);
      if (match) findings.push({ phrase: match[0], where, suggestion: rule.suggestion });
    }
  }
  return findings;
}

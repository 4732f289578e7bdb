import { z } from 'zod';

/** What the declare form carries between opening and submission. */
export const DeclareModalMetadata = z.object({
  originChannelId: z.string().nullable(),
});
export type DeclareModalMetadata = z.infer<typeof DeclareModalMetadata>;

/** Parses private_metadata; a form from an older version without it still works. */
export function parseDeclareModalMetadata(raw: string | undefined): DeclareModalMetadata {
  try {
    return DeclareModalMetadata.parse(JSON.parse(raw ?? ''));
  } catch {
    return { originChannelId: null };
  }
}

/**
 * A number a button names a row by. PostgreSQL's integer columns end at 2^31 - 1: past it a
 * forged value would fail in the query (the generic apology) rather than as a button of ours.
 */
const rowNumber = z.number().int().positive().max(2_147_483_647);

/** The value of a Done button: which item of which incident. */
export const ActionItemButtonValue = z.object({ incidentId: rowNumber, number: rowNumber });
export type ActionItemButtonValue = z.infer<typeof ActionItemButtonValue>;

/** The value of the header's Resolve button. */
export const IncidentButtonValue = z.object({ incidentId: rowNumber });
export type IncidentButtonValue = z.infer<typeof IncidentButtonValue>;

/** The value of "Replace the canvas": the incident it was offered for and the draft version it writes. */
export const PostmortemButtonValue = z.object({ incidentId: rowNumber, version: rowNumber });
export type PostmortemButtonValue = z.infer<typeof PostmortemButtonValue>;

/** Parses a "Replace the canvas" value; undefined for anything else (an older or forged button). */
export function parsePostmortemButtonValue(raw: string | undefined): PostmortemButtonValue | undefined {
  try {
    const parsed = PostmortemButtonValue.safeParse(JSON.parse(raw ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The value of Declare incident and Merge on alert notices: which alert group. */
export const AlertGroupButtonValue = z.object({ groupId: rowNumber });
export type AlertGroupButtonValue = z.infer<typeof AlertGroupButtonValue>;

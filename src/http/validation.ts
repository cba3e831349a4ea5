/** Turning a zod error into one short, safe sentence for an API client. */
import type { z } from 'zod';

/** The first issue as `field: problem`; it names fields, never echoes the values sent. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const field = issue.path.join('.');
  const message = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  return field ? `${field}: ${message}` : message;
}

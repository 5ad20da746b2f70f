import type { z } from 'zod';

/** One readable line per problem: `values.title.fr: expected string, received number`. */
export function formatIssues(error: z.ZodError, root = ''): string[] {
  return error.issues.map((issue) => {
    const path = [root, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

export class InvalidInputError extends Error {
  readonly problems: string[];
  constructor(what: string, problems: string[]) {
    super(`Invalid ${what}: ${problems.join('; ')}`);
    this.name = 'InvalidInputError';
    this.problems = problems;
  }
}

/** Parses at a boundary; throws an InvalidInputError that says what is wrong and where. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new InvalidInputError(what, formatIssues(result.error));
  return result.data;
}

/**
 * A failure the explorer answers with a status and a message for people (Russian), never a stack
 * trace: bad input (400, 404, 413, 414, 415, 422) or data not there yet (503).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 414 | 415 | 422 | 500 | 503,
    /** A short headline: «Рекомендация не найдена». */
    readonly title: string,
    /** What happened and what to do, in a sentence or two. */
    readonly detail: string,
  ) {
    super(`${title}: ${detail}`);
    this.name = 'HttpProblem';
  }
}

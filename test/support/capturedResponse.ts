/** A botbuilder `Response` that keeps the status and body the edge answered with. */
import type { Response } from 'botbuilder';

export class CapturedResponse implements Response {
  socket: unknown = {};
  statusCode = 0;
  body: unknown;
  status(code: number): unknown {
    this.statusCode = code;
    return this;
  }
  header(): unknown {
    return this;
  }
  send(body?: unknown): unknown {
    this.body = body;
    return this;
  }
  end(): unknown {
    return this;
  }
}

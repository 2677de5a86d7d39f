import { Injectable } from '@nestjs/common';
import { AppConfig } from './app-config.js';

/**
 * The one owner of the links Agora hands out (in mails): absolute URLs on
 * PUBLIC_URL, or on http://localhost:PORT when it is unset.
 */
@Injectable()
export class PublicLinks {
  constructor(private readonly config: AppConfig) {}

  /** The origin members reach the web client at. */
  get origin(): string {
    return this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`;
  }

  /** An absolute link to a path of the web client or API (a path may carry a #fragment), with query parameters encoded. */
  to(path: string, query: Record<string, string> = {}): string {
    const url = new URL(path, this.origin);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.href;
  }
}

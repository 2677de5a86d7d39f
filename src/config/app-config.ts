import { plainToInstance, Transform } from 'class-transformer';
import { ArrayNotEmpty, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;

/**
 * Every setting Agora reads from the environment, with its default.
 * The README's settings table mirrors this class; keep them in step.
 */
export class AppConfig {
  /** HTTP port; 0 picks a free one. */
  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Interface to listen on. */
  @IsString()
  HOST = '127.0.0.1';

  /** PostgreSQL connection string; unset means the embedded PGlite database. */
  @IsOptional() @IsString()
  DATABASE_URL?: string;

  /** Folder where the embedded database keeps its files. */
  @IsString()
  PGLITE_DIR = './data/pglite';

  /** Load the demo catalogue, forum and accounts on the first start of the embedded database. */
  @Transform(toBool) @IsBoolean()
  DEMO_DATA = true;

  /** Size of the pg connection pool. */
  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt() @Min(1) @Max(200)
  DB_POOL_SIZE = 10;

  /** Origins allowed to make cookie-authenticated writes and open sockets (comma-separated). Empty: same origin as the request's Host only. */
  @Transform(toList) @IsString({ each: true })
  ALLOWED_ORIGINS: string[] = [];

  /** Mark cookies Secure (set when served over TLS, e.g. behind a proxy). */
  @Transform(toBool) @IsBoolean()
  COOKIE_SECURE = false;

  /** Trust X-Forwarded-* headers from the one reverse proxy in front (client address, TLS detection). */
  @Transform(toBool) @IsBoolean()
  TRUST_PROXY = false;

  /** How long a sign-in lasts without use, in days. */
  @Transform(({ value }) => (value === undefined || value === '' ? 30 : Number(value)))
  @IsInt() @Min(1) @Max(365)
  SESSION_TTL_DAYS = 30;

  /** Redis for Socket.IO rooms across instances; unset means one instance, in-memory. */
  @IsOptional() @IsString()
  REDIS_URL?: string;

  /** Prefix of the Redis stream and channels the Socket.IO adapter uses (a tag of the database is appended, so deployments sharing one Redis stay apart). */
  @IsString() @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits, ":", "_" or "-"' })
  REDIS_KEY_PREFIX = 'agora';

  /** Socket.IO transports the server accepts: "polling,websocket" (needs sticky sessions behind a load balancer) or "websocket". */
  @Transform(toList) @IsIn(['polling', 'websocket'], { each: true }) @ArrayNotEmpty()
  SOCKET_TRANSPORTS: ('polling' | 'websocket')[] = ['polling', 'websocket'];

  /** Largest message a socket client may send, in bytes (a bigger one closes that connection). Fits a maximal reply even in the worst JSON escaping. */
  @Transform(({ value }) => (value === undefined || value === '' ? 131_072 : Number(value)))
  @IsInt() @Min(4096) @Max(10_485_760)
  SOCKET_MAX_MESSAGE_BYTES = 131_072;

  /** Forum events are kept this many days for replay; a client that has been away longer reloads the forum. */
  @Transform(({ value }) => (value === undefined || value === '' ? 7 : Number(value)))
  @IsInt() @Min(1) @Max(365)
  EVENT_RETENTION_DAYS = 7;

  /** At most this many recent events are kept per forum for replay. */
  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt() @Min(100) @Max(10_000_000)
  EVENT_RETENTION_COUNT = 10_000;

  /**
   * Multiplies every per-person write limit (replies, votes, moderation
   * acts, flags; see src/limits/action-limits.ts). 1 is the product's rule;
   * raise it for scripted imports or load tests by one account.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? 1 : Number(value)))
  @IsNumber() @Min(0.01) @Max(1_000_000)
  RATE_LIMIT_SCALE = 1;

  /** A reconnecting client that missed more events than this in a forum is told to reload it instead of being sent them all. */
  @Transform(({ value }) => (value === undefined || value === '' ? 1_000 : Number(value)))
  @IsInt() @Min(1) @Max(100_000)
  REPLAY_MAX_EVENTS = 1_000;

  /** Live Q&A: questions one signed-in person may ask in a session per QA_ASK_WINDOW_SECONDS (moderators exempt). */
  @Transform(({ value }) => (value === undefined || value === '' ? 10 : Number(value)))
  @IsInt() @Min(1) @Max(1000)
  QA_ASKS_PER_WINDOW = 10;

  /** Live Q&A: the same for guests (joined by name), who are limited harder; they also wait 30 s between questions. */
  @Transform(({ value }) => (value === undefined || value === '' ? 3 : Number(value)))
  @IsInt() @Min(1) @Max(1000)
  QA_GUEST_ASKS_PER_WINDOW = 3;

  /** Live Q&A: the window of the asking limits, in seconds. */
  @Transform(({ value }) => (value === undefined || value === '' ? 600 : Number(value)))
  @IsInt() @Min(1) @Max(86_400)
  QA_ASK_WINDOW_SECONDS = 600;

  /** Live Q&A: vote counts are sent to a session's screens at most this often (ms), as absolute counts of the questions that changed. */
  @Transform(({ value }) => (value === undefined || value === '' ? 200 : Number(value)))
  @IsInt() @Min(10) @Max(10_000)
  QA_VOTE_BROADCAST_MS = 200;

  /** A reply flagged by this many distinct members is hidden until a moderator reviews it (a forum may set its own number). */
  @Transform(({ value }) => (value === undefined || value === '' ? 3 : Number(value)))
  @IsInt() @Min(1) @Max(100)
  FLAG_THRESHOLD = 3;

  /** SMTP server for mail (`smtp://user:pass@host:587`, `smtps://…`). Unset: mails go to the local outbox, read by admins in the web client. */
  @IsOptional() @IsString()
  SMTP_URL?: string;

  /** The From of every mail. */
  @IsString()
  MAIL_FROM = 'Agora <agora@localhost>';

  /** The address members reach the web client at, for links in mails. Unset: http://localhost:PORT. */
  @IsOptional() @Matches(/^https?:\/\/[^/]+$/, { message: 'PUBLIC_URL must be an origin like https://agora.example.org (no path)' })
  PUBLIC_URL?: string;

  /** Notifications mailed as they happen wait this long, so a burst in a busy thread becomes one mail. */
  @Transform(({ value }) => (value === undefined || value === '' ? 120 : Number(value)))
  @IsInt() @Min(0) @Max(86_400)
  MAIL_COALESCE_SECONDS = 120;

  /** A failed send is retried this many times (with growing waits), then recorded as failed. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt() @Min(0) @Max(20)
  MAIL_RETRY_LIMIT = 5;

  /** Seconds before the first retry (doubling after each). */
  @Transform(({ value }) => (value === undefined || value === '' ? 30 : Number(value)))
  @IsInt() @Min(1) @Max(3600)
  MAIL_RETRY_DELAY_SECONDS = 30;

  /** The notifier tries an event this many times (with growing waits), then records it in notification_dead_letter and moves on. */
  @Transform(({ value }) => (value === undefined || value === '' ? 5 : Number(value)))
  @IsInt() @Min(1) @Max(50)
  NOTIFIER_ATTEMPTS = 5;

  /** Milliseconds before the notifier's first retry of a failed event (doubling after each; retried at its next catch-up). */
  @Transform(({ value }) => (value === undefined || value === '' ? 1000 : Number(value)))
  @IsInt() @Min(0) @Max(3_600_000)
  NOTIFIER_RETRY_DELAY_MS = 1000;

  /** First admin, created at start if no account has this email (with ADMIN_PASSWORD). */
  @IsOptional() @IsString()
  ADMIN_EMAIL?: string;

  /** Password of the ADMIN_EMAIL admin when it is created (also read by `npm run admin:create`). */
  @IsOptional() @IsString()
  ADMIN_PASSWORD?: string;

  /** Bearer token that GET /metrics (Prometheus) requires; unset: /metrics is off (404). */
  @IsOptional() @IsString() @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters, no spaces' })
  METRICS_TOKEN?: string;

  /** On SIGTERM/SIGINT, how long requests and socket messages in flight may take to finish and everything to close, in ms. */
  @Transform(({ value }) => (value === undefined || value === '' ? 10_000 : Number(value)))
  @IsInt() @Min(500) @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Log lines as JSON (for a collector) or pretty (for a person); unset: pretty on the embedded database or with NODE_ENV=development, JSON otherwise. */
  @IsOptional() @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty' = undefined;

  /** Log level: error, warn, log, debug, verbose. */
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }
}

export class ConfigError extends Error {}

/** Reads and validates settings; throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = new Set(Object.keys(new AppConfig()));
  const raw = Object.fromEntries(Object.entries(env).filter(([k, v]) => known.has(k) && v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  if (errors.length) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid settings in the environment:\n  ${lines.join('\n  ')}`);
  }
  return config;
}
